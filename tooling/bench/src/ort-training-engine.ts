import type { BenchOutcome } from './bench-result.js';

/** The part of `@cnnkit/backend-onnx`'s `benchOrtTraining` this harness calls. */
type BenchOrtTraining = (options: {
  size: number;
  batch: number;
  steps: number;
  warmup: number;
  wasm: boolean;
  log?: (line: string) => void;
}) => Promise<{ engine: string; imagesPerSecond: number }[]>;

export interface OrtTrainingOptions {
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
  log: (line: string) => void;
}

/**
 * Optional hook for the ORT training engine (forward + backward + update compiled into one
 * ONNX graph, `benchOrtTraining` in `@cnnkit/backend-onnx`). Imported dynamically so this
 * package builds and runs whether or not that engine has landed; when it has not, the
 * outcome says so instead of failing the run.
 *
 * `benchOrtTraining` reports one rate over `steps` steps (not a median), so `repeats` here
 * is the step count; its own wasm comparison is switched off because this harness times
 * cnnkit-wasm itself.
 */
export async function benchOrtTrainingHook(options: OrtTrainingOptions): Promise<BenchOutcome> {
  const { size, batch, warmup, repeats, log } = options;
  const engine = 'cnnkit-onnx';
  let bench: BenchOrtTraining | undefined;
  try {
    const mod = (await import('@cnnkit/backend-onnx')) as Record<string, unknown>;
    if (typeof mod.benchOrtTraining === 'function') bench = mod.benchOrtTraining as BenchOrtTraining;
  } catch (error) {
    const reason = `@cnnkit/backend-onnx not loadable: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
    return { kind: 'skipped', skipped: { engine, task: 'train', size, reason } };
  }
  if (bench === undefined) {
    return {
      kind: 'skipped',
      skipped: { engine, task: 'train', size, reason: 'not available: this @cnnkit/backend-onnx has no benchOrtTraining (the ORT training engine is not merged yet)' },
    };
  }
  try {
    const rows = await bench({ size, batch, steps: repeats, warmup: Math.max(warmup, 1), wasm: false, log });
    const ort = rows.find((r) => r.engine === 'cnnkit-onnx');
    if (ort === undefined) throw new Error('benchOrtTraining returned no cnnkit-onnx row');
    return {
      kind: 'result',
      result: { engine, task: 'train', size, batch, imagesPerSecond: ort.imagesPerSecond, repeats, note: `ORT training engine; mean over ${repeats} steps` },
    };
  } catch (error) {
    return { kind: 'skipped', skipped: { engine, task: 'train', size, reason: `ORT training failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}` } };
  }
}
