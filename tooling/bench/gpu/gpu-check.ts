/**
 * Entry of the GPU machine's bundle (gpu/prepare.sh): the conformance suite on
 * webgpu, outside vitest, printing one line per failing check and a JSON summary.
 * Exits 1 when a check fails or no hardware adapter is found.
 */
import { webgpuBackend } from '@cnnkit/backend-webgpu';
// The runner alone: the package's index also holds the vitest wrapper.
import { runConformance } from '@cnnkit/conformance/run';

const plugin = webgpuBackend();
const availability = await plugin.isAvailable();
if (!availability.available) {
  console.error(`gpu-check: webgpu is unavailable: ${availability.reason}. ${availability.fix}`);
  process.exit(1);
}
console.error(`gpu-check: adapter ${JSON.stringify(availability.adapter)}`);
const started = performance.now();
const rows = await runConformance(plugin);
const failed = rows.filter((r) => !r.passed);
for (const r of failed) {
  console.error(`FAIL ${r.name}: ${r.thrown ?? `${r.what} error ${r.error.toExponential(2)} > ${r.tolerance}, leaked ${r.leakedTensors} tensors / ${r.leakedData} buffers`}`);
}
const worst = rows.filter((r) => r.passed).reduce((m, r) => Math.max(m, r.error / r.tolerance), 0);
console.log(JSON.stringify({
  adapter: availability.adapter, checks: rows.length, passed: rows.length - failed.length, failed: failed.map((r) => r.name),
  worstErrorOverTolerance: worst, seconds: Math.round((performance.now() - started) / 100) / 10,
}));
process.exit(failed.length === 0 && availability.adapter?.software !== true ? 0 : 1);
