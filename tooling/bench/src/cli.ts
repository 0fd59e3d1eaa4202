#!/usr/bin/env node
/**
 * Standalone bench: `node tooling/bench/dist/cli.js [--quick] [--json out.json]`.
 * Table on stdout, progress on stderr. See --help.
 */
import { parseArgs } from 'node:util';
import { ENGINE_IDS, isEngineId, type EngineId } from './engines.js';
import { formatBenchTable } from './format-bench-table.js';
import { formatProfile, profileWasmTraining } from './profile-wasm-training.js';
import { runBenchmarks } from './run-benchmarks.js';
import { writeBenchJson } from './write-bench-json.js';

const HELP = `cnnkit-bench: training and inference images/s of the tutorial CNN on every cnnkit engine and its peers, in one run

  --quick              64 px, 1 repeat, no warm-up, 64 JPEGs, and no pure-JS cpu engines
                       unless --engines names them (a smoke test, about a minute)
  --sizes 128,300      image sides (default 128,300)
  --batch 32           batch size (default 32)
  --repeats 5          timed repeats, median reported (default 5)
  --warmup 1           untimed runs first (default 1)
  --engines a,b        subset of: ${ENGINE_IDS.join(', ')}
  --dp-update MODE     workers (default) or main: where the cnnkit-wasm-2-instances row
                       applies the averaged gradients (each replica, or this thread + broadcast)
  --gpu-rows 128x32,180x128
                       SIZExBATCH of the GPU rows (cnnkit-webgpu, pytorch-cuda; default
                       128x32 and 180x128, the Keras tutorial's size; --quick: 64x8)
  --allow-software-gpu run cnnkit-webgpu on a software adapter (SwiftShader) too; its rows
                       are labelled SOFTWARE (a CPU emulation, never a GPU figure)
  --data-memory        also peak RSS of the data pipeline for 5k vs 50k files (minutes)
  --profile            only profile one wasm training step per kernel (at the first size)
  --json FILE          also write the JSON report to FILE
  --help`;

function fail(message: string): never {
  process.stderr.write(`cnnkit-bench: ${message}\n`);
  process.exit(1);
}

function positiveInts(flag: string, value: string): number[] {
  const list = value.split(',').map((v) => Number(v.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) fail(`--${flag}: expected positive integers separated by commas, received "${value}"`);
  return list;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        quick: { type: 'boolean' },
        sizes: { type: 'string' },
        batch: { type: 'string' },
        repeats: { type: 'string' },
        warmup: { type: 'string' },
        engines: { type: 'string' },
        'data-memory': { type: 'boolean' },
        'gpu-rows': { type: 'string' },
        'allow-software-gpu': { type: 'boolean' },
        'dp-update': { type: 'string' },
        profile: { type: 'boolean' },
        json: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}; see --help`);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const quick = v.quick ?? false;
  const sizes = v.sizes !== undefined ? positiveInts('sizes', v.sizes) : quick ? [64] : [128, 300];
  const batch = v.batch !== undefined ? positiveInts('batch', v.batch)[0] : 32;
  const repeats = v.repeats !== undefined ? positiveInts('repeats', v.repeats)[0] : quick ? 1 : 5;
  const warmup = v.warmup !== undefined ? Number(v.warmup) : quick ? 0 : 1;
  if (!Number.isInteger(warmup) || warmup < 0) fail(`--warmup: expected a non-negative integer, received "${v.warmup}"`);
  // The cpu engines take minutes even at 64 px (tfjs-layers trains at ~0.05 image/s there).
  let engines: EngineId[] | undefined = quick ? ENGINE_IDS.filter((e) => e !== 'cnnkit-cpu' && e !== 'tfjs-layers-cpu') : undefined;
  if (v.engines !== undefined) {
    const names = v.engines.split(',').map((e) => e.trim());
    const unknown = names.filter((n) => !isEngineId(n));
    if (unknown.length > 0) fail(`--engines: unknown ${unknown.join(', ')}; available: ${ENGINE_IDS.join(', ')}`);
    engines = names as EngineId[];
  }
  let gpuRows: { size: number; batch: number }[] | undefined = quick ? [{ size: 64, batch: 8 }] : undefined;
  if (v['gpu-rows'] !== undefined) {
    gpuRows = v['gpu-rows'].split(',').map((pair) => {
      const m = /^\s*(\d+)x(\d+)\s*$/.exec(pair);
      if (m === null || Number(m[1]) < 1 || Number(m[2]) < 1) fail(`--gpu-rows: expected SIZExBATCH pairs such as 180x128, received "${pair}"`);
      return { size: Number(m[1]), batch: Number(m[2]) };
    });
  }
  const dpUpdate = v['dp-update'];
  if (dpUpdate !== undefined && dpUpdate !== 'workers' && dpUpdate !== 'main') fail(`--dp-update: expected workers or main, received "${dpUpdate}"`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (v.profile) {
    process.stdout.write(`${formatProfile(await profileWasmTraining({ size: sizes[0], batch }))}\n`);
    return;
  }
  const report = await runBenchmarks({
    sizes,
    batch,
    repeats,
    warmup,
    engines,
    gpuRows,
    allowSoftwareGpu: v['allow-software-gpu'] ?? false,
    dataMemory: v['data-memory'] ?? false,
    dataParallelUpdate: dpUpdate,
    decodeFiles: quick ? 64 : 512,
    cpuMaxSize: quick ? 64 : 128,
    log,
  });
  process.stdout.write(`${formatBenchTable(report.results, report.skipped, report.targets)}\n`);
  if (report.dataMemory) {
    process.stdout.write('\ndata pipeline memory (decode 180px):\n');
    for (const r of report.dataMemory) process.stdout.write(`  ${r.files} files: ${r.imagesPerSecond} images/s, peak RSS ${r.peakRssMiB} MiB (start ${r.startRssMiB} MiB)\n`);
  }
  const env = report.environment;
  process.stdout.write(`\n${env.cpus} cpus (${env.vectorExtensions}), load average ${env.loadAverage.join(' ')} at the end, ${env.seconds} s; numbers on a shared machine are noisy, ratios less so\n`);
  if (v.json !== undefined) await writeBenchJson(v.json, report);
}

main().catch((error: unknown) => {
  process.stderr.write(`cnnkit-bench: ${(error instanceof Error ? error.stack : String(error)) ?? ''}\n`);
  process.exit(1);
});
