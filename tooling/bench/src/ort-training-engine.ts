import type { BenchOutcome } from './bench-result.js';
import { ensureModelBackend } from './model-backend.js';

export interface OrtTrainingOptions {
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
  log: (line: string) => void;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * The ORT training engine (forward + backward + update compiled into one ONNX graph):
 * `benchOrtTraining` from `@cnnkit/backend-onnx`. Imported on call, like the onnx
 * inference row, so a missing or broken onnxruntime-node becomes a skipped row with the
 * reason instead of failing the whole run.
 *
 * `benchOrtTraining` reports one rate over `steps` steps (a mean, not a median), so
 * `repeats` here is its step count; its own wasm comparison is switched off because
 * this harness times cnnkit-wasm itself.
 */
export async function benchOrtTrainingHook(options: OrtTrainingOptions): Promise<BenchOutcome> {
  const { size, batch, warmup, repeats, log } = options;
  const engine = 'cnnkit-onnx';
  let onnx: typeof import('@cnnkit/backend-onnx');
  try {
    onnx = await import('@cnnkit/backend-onnx');
  } catch (error) {
    return { kind: 'skipped', skipped: { engine, task: 'train', size, reason: `not available: @cnnkit/backend-onnx not loadable (${firstLine(error)})` } };
  }
  await ensureModelBackend();
  try {
    const rows = await onnx.benchOrtTraining({ size, batch, steps: repeats, warmup: Math.max(warmup, 1), wasm: false, log });
    const ort = rows.find((r) => r.engine === 'cnnkit-onnx');
    if (ort === undefined) throw new Error('benchOrtTraining returned no cnnkit-onnx row');
    return {
      kind: 'result',
      result: { engine, task: 'train', size, batch, imagesPerSecond: ort.imagesPerSecond, repeats, note: `ORT training engine; mean over ${repeats} steps` },
    };
  } catch (error) {
    return { kind: 'skipped', skipped: { engine, task: 'train', size, reason: `ORT training failed: ${firstLine(error)}` } };
  }
}
