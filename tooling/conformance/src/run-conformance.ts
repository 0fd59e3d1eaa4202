import { registerGradients, type BackendPlugin } from '@cnnkit/tensor-core';
import { conformanceCases } from './cases.js';
import { caseInputs, checkForward, checkGradient, type CheckResult } from './check-case.js';

/** One check of the suite, run outside vitest. */
export interface ConformanceRow extends CheckResult {
  name: string;
  passed: boolean;
  /** Set when the check threw (a kernel error, a GPU error surfaced at the read). */
  thrown?: string;
}

/**
 * The conformance suite without a test runner, for machines that have the built code
 * and a backend but no node_modules (the GPU bench script): every case's forward and
 * gradient check on `plugin`, with the same inputs, references and tolerances as
 * `describeConformance`.
 *
 * @example
 * ```ts
 * const rows = await runConformance(webgpuBackend());
 * console.log(rows.filter((r) => !r.passed).map((r) => r.name));
 * ```
 */
export async function runConformance(plugin: BackendPlugin, options: { filter?: string } = {}): Promise<ConformanceRow[]> {
  await plugin.activate();
  registerGradients();
  const rows: ConformanceRow[] = [];
  for (const c of conformanceCases().filter((x) => options.filter === undefined || x.name.includes(options.filter))) {
    const { inputs, rng } = caseInputs(c);
    for (const [kind, run] of [['forward', () => checkForward(c, inputs)], ['gradient', () => checkGradient(c, inputs, rng)]] as const) {
      const name = `${c.name} ${kind}`;
      try {
        const r = await run();
        const shapeOk = r.shape === null || r.shape.actual.join() === r.shape.expected.join();
        rows.push({ ...r, name, passed: shapeOk && r.error <= r.tolerance && r.leakedTensors === 0 && r.leakedData === 0 });
      } catch (error) {
        rows.push({ name, what: kind, error: Infinity, tolerance: 0, shape: null, leakedTensors: 0, leakedData: 0, passed: false, thrown: String((error as Error).message ?? error).split('\n')[0] });
      }
    }
  }
  return rows;
}
