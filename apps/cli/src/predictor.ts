import type { Model } from '@cnnkit/layers';
import { tf } from '@cnnkit/tensor-core';
import { inputSize, openModel, useBackend } from './model-dir.js';
import type { InferBackend } from './options.js';

/** Class probabilities for raw 0..255 RGB NHWC images, from whichever engine runs the model. */
export interface Predictor {
  readonly backend: string;
  readonly classNames: string[];
  readonly imageSize: [number, number];
  /** `n` images of imageSize, HWC, 0..255 → `n x units` probabilities (units 1 for binary models). */
  predict(images: Float32Array, n: number): Promise<{ probabilities: Float32Array; units: number }>;
  dispose(): Promise<void>;
}

/** A saved model on a tfjs backend (cpu, wasm, webgpu, cuda). */
export class ModelPredictor implements Predictor {
  constructor(
    readonly backend: string,
    readonly model: Model,
    readonly classNames: string[],
    readonly imageSize: [number, number],
  ) {}

  async predict(images: Float32Array, n: number): Promise<{ probabilities: Float32Array; units: number }> {
    const [h, w] = this.imageSize;
    const x = tf.tensor4d(images, [n, h, w, 3]);
    try {
      const y = this.model.predict(x) as tf.Tensor;
      const probabilities = (await y.data()) as Float32Array;
      const units = y.shape[y.shape.length - 1] ?? 1;
      y.dispose();
      return { probabilities, units };
    } finally {
      x.dispose();
    }
  }

  async dispose(): Promise<void> {
    this.model.dispose();
  }
}

/** Opens RUN/model for inference on `backend`. */
export async function openPredictor(operation: string, modelPath: string, backend: Exclude<InferBackend, 'onnx'>): Promise<ModelPredictor> {
  const name = await useBackend(backend, 'infer');
  const { model, classNames } = await openModel(operation, modelPath);
  return new ModelPredictor(name, model, classNames, inputSize(operation, model));
}

/** Probability of each class: a single sigmoid unit p means [1 - p, p]. */
export function classProbabilities(row: ArrayLike<number>, units: number, classNames: readonly string[]): number[] {
  if (units === 1) return [1 - row[0], row[0]];
  return Array.from({ length: classNames.length }, (_, i) => row[i]);
}
