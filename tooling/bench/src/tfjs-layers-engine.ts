import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchOutcome } from './bench-result.js';
import { runChild } from './run-child.js';

// Resolved from src/ (tests) and dist/ alike: the child always runs compiled.
const CHILD = fileURLToPath(new URL('../dist/tfjs-layers-child.js', import.meta.url));

export interface TfjsLayersBenchOptions {
  backend: 'cpu' | 'wasm';
  task: 'train' | 'infer';
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
  note?: string;
  timeoutMs?: number;
}

/** The tutorial model on `@tensorflow/tfjs-layers` with a stock tfjs backend, in a child process (see tfjs-layers-child.ts). */
export async function benchTfjsLayers(options: TfjsLayersBenchOptions): Promise<BenchOutcome> {
  const { backend, task, size, batch, warmup, repeats } = options;
  const engine = `tfjs-layers-${backend}`;
  if (!existsSync(CHILD)) return { kind: 'skipped', skipped: { engine, task, size, reason: `${CHILD} missing: build @cnnkit/bench first` } };
  const out = await runChild(process.execPath, [CHILD, JSON.stringify({ backend, task, size, batch, warmup, repeats })], options.timeoutMs ?? 30 * 60_000);
  const record = out.records[0];
  if (out.code !== 0 || record === undefined || typeof record.imagesPerSecond !== 'number') {
    return { kind: 'skipped', skipped: { engine, task, size, reason: `fails: ${out.stderrTail || `exit ${out.code}`}` } };
  }
  const note = [`tfjs-layers ${String(record.tfjsLayers)}, cnnkit gradients`, options.note].filter(Boolean).join('; ');
  return { kind: 'result', result: { engine, task, size, batch, imagesPerSecond: record.imagesPerSecond, repeats, note } };
}
