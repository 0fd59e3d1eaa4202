/**
 * What the package root exports of the training engine. The engine needs
 * `@cnnkit/layers` (an optional peer: inference-only installs do not have it), so
 * the root loads it only when training is asked for: these functions import the
 * engine on call. The full, synchronous API (`compileTrainingGraph`, `OrtTrainer`) is
 * the `@cnnkit/backend-onnx/training` entry point.
 */
import type { CompileArgs, Model } from '@cnnkit/layers';
import type { BenchOrtTrainingOptions, BenchResult } from './bench-ort-training.js';
import type { OrtTrainer, OrtTrainerOptions } from './ort-trainer.js';

export { ortTrainingSupport, type OrtTrainingSupport } from './capability.js';
export { ORT_TRAINABLE_LAYERS } from './trainable-layers.js';
export type { BenchOrtTrainingOptions, BenchResult } from './bench-ort-training.js';
export type { OrtTrainer, OrtTrainerOptions, StepInput } from './ort-trainer.js';
export type { SlotSpec, TrainingGraph, TrainingGraphOptions } from './compile-training-graph.js';

/**
 * Creates the ORT training engine for `model` (compiling it with `compileArgs` when given).
 *
 * @example
 * ```ts
 * const trainer = await createOrtTrainer(model, { optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 * await model.fit(batches, { epochs: 10, engine: trainer });
 * ```
 */
export async function createOrtTrainer(model: Model, compileArgs?: CompileArgs, options: OrtTrainerOptions = {}): Promise<OrtTrainer> {
  const engine = await import('./ort-trainer.js');
  return engine.createOrtTrainer(model, compileArgs, options);
}

/**
 * Training images/s of the ORT engine and of the wasm engine, in one run.
 *
 * @example
 * ```ts
 * const results = await benchOrtTraining({ size: 128, batch: 32, steps: 10, log: console.error });
 * ```
 */
export async function benchOrtTraining(options: BenchOrtTrainingOptions = {}): Promise<BenchResult[]> {
  const bench = await import('./bench-ort-training.js');
  return bench.benchOrtTraining(options);
}

/**
 * Why the ORT engine cannot train `model` as compiled (a layer, activation, optimizer,
 * loss or graph shape it lacks, in the engine's own words), or null when it can: the
 * check compiles the training graph for one image, which names exactly what is missing.
 *
 * @example
 * ```ts
 * const why = await ortTrainingUnsupported(model); // null: createOrtTrainer(model) will train it
 * ```
 */
export async function ortTrainingUnsupported(model: Model): Promise<string | null> {
  const [{ compileTrainingGraph }, { CnnkitError }] = await Promise.all([import('./compile-training-graph.js'), import('@cnnkit/tensor-core')]);
  const c = model.compiled;
  if (c === null) return `model "${model.name}" is not compiled`;
  try {
    compileTrainingGraph(model, { loss: c.loss, optimizer: c.optimizer, batchSize: 1, nchwcBlock: null });
    return null;
  } catch (error) {
    if (error instanceof CnnkitError && error.code.startsWith('UNSUPPORTED')) return error.message;
    throw error;
  }
}

