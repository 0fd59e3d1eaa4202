import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOutcome } from './bench-result.js';
import { measureThroughput } from './measure-throughput.js';
import { syntheticBatch } from './synthetic-batch.js';
import { tutorialModel } from './tutorial-model.js';
import { ensureModelBackend } from './model-backend.js';

export interface OnnxInferenceOptions {
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * Inference on the `onnx` backend as a user gets it: the tutorial model exported with
 * `@cnnkit/export`, written to a file, opened with `loadOnnxPredictor` (onnxruntime-node,
 * its default thread pool), one batch per run. The layers model is built on whatever
 * tfjs backend is active; only its weights are read.
 */
export async function benchOnnxInference(options: OnnxInferenceOptions): Promise<BenchOutcome> {
  const { size, batch, warmup, repeats } = options;
  const engine = 'cnnkit-onnx';
  let modules: [typeof import('@cnnkit/export'), typeof import('@cnnkit/backend-onnx')];
  try {
    modules = await Promise.all([import('@cnnkit/export'), import('@cnnkit/backend-onnx')]);
  } catch (error) {
    return { kind: 'skipped', skipped: { engine, task: 'infer', size, reason: `onnxruntime-node not loadable: ${firstLine(error)}` } };
  }
  const [{ exportModel }, { loadOnnxPredictor }] = modules;
  await ensureModelBackend();
  const dir = await mkdtemp(join(tmpdir(), 'cnnkit-bench-onnx-'));
  try {
    const model = tutorialModel(size);
    const file = join(dir, 'model.onnx');
    await writeFile(file, await exportModel(model));
    model.dispose();
    const predictor = await loadOnnxPredictor(file);
    try {
      const { images } = syntheticBatch(size, batch);
      const imagesPerSecond = await measureThroughput({ warmup, repeats, images: batch, run: () => predictor.predict(images, batch) });
      return { kind: 'result', result: { engine, task: 'infer', size, batch, imagesPerSecond, repeats } };
    } finally {
      await predictor.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
