import { writeFile } from 'node:fs/promises';
import type { BenchReport } from './run-benchmarks.js';

/**
 * Writes the report as DESIGN.md's bench JSON (`{"results": [...]}`) plus the skipped
 * engines, the target ratios and the machine state the numbers were taken under.
 *
 * @example
 * ```ts
 * await writeBenchJson('bench.json', await runBenchmarks({ sizes: [128] }));
 * ```
 */
export async function writeBenchJson(path: string, report: BenchReport): Promise<void> {
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
}
