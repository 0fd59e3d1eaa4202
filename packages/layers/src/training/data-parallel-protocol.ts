import { tf, type RngState, type WorkerPluginSource } from '@cnnkit/tensor-core';
import type { LossSpec } from '../losses/losses.js';
import type { ModelConfig } from '../models/model.js';
import type { OptimizerName } from '../optimizers/optimizer.js';
import { LAYER_CLASS_NAMES } from '../layers/layer-kinds.js';

/**
 * The messages between the data-parallel trainer (main thread) and its workers.
 * Every worker handles its messages in order, so an `apply` always lands before
 * the next `step` or `state` of the same worker.
 */

/** A module a worker imports and whose export it calls before building the model (e.g. to register layer classes). */
export interface WorkerSetupModule {
  /** Module URL or specifier, e.g. `import.meta.resolve('@cnnkit/augment')`. */
  module: string;
  /** The named export to call (with no arguments), e.g. `registerAugmentLayers`. */
  call: string;
}

/**
 * How worker threads register the layer classes of a model that come from other
 * packages: each such layer names its own registration (`workerSetup`, e.g. the
 * augmentation layers of `@cnnkit/augment`), as a module URL that resolves anywhere.
 * `missing` lists the layers that name none (a class registered on this thread only).
 */
export function workerSetupOf(layers: readonly { className: string; name?: string | null }[]): { setup: WorkerSetupModule[]; missing: string[] } {
  const setup: WorkerSetupModule[] = [];
  const missing: string[] = [];
  for (const layer of layers) {
    if ((LAYER_CLASS_NAMES as readonly string[]).includes(layer.className)) continue;
    const s = (layer as { workerSetup?: Partial<WorkerSetupModule> }).workerSetup;
    if (s !== undefined && typeof s.module === 'string' && typeof s.call === 'string') {
      if (!setup.some((t) => t.module === s.module && t.call === s.call)) setup.push({ module: s.module, call: s.call });
    } else {
      missing.push(`${layer.className} "${layer.name ?? ''}"`);
    }
  }
  return { setup, missing };
}

/** `workerData` of each worker. */
export interface WorkerInit {
  index: number;
  workers: number;
  plugin: WorkerPluginSource;
  setup: WorkerSetupModule[];
  architecture: ModelConfig;
  optimizer: { className: OptimizerName; config: Record<string, unknown> };
  loss: Required<LossSpec>;
}

/** A tensor's values in transit. */
export interface PackedTensor {
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

export type ToWorker =
  | {
      type: 'load';
      /** Every weight (`model.namedWeights()` order), concatenated. */
      weights: Float32Array;
      iterations: number;
      learningRate: number;
      slots: { key: string; shape: number[]; data: Float32Array }[];
      /** The main model's layer streams (dropout): each worker forks its own from them. */
      streams: Record<string, RngState>;
    }
  | {
      type: 'step';
      /** The step's index in the epoch: each step's dropout streams are forked from it, so an epoch can resume at any step. */
      step: number;
      xs: PackedTensor[];
      ys: PackedTensor[];
      classWeight: Record<number, number> | undefined;
    }
  | {
      type: 'apply';
      /** Averaged gradients of the trainable weights that have one (`present`), concatenated. */
      grads: Float32Array;
      present: boolean[];
      /** Averaged non-trainable weights (moving statistics), or null when the step had none to average. */
      stats: Float32Array | null;
      learningRate: number;
    }
  | { type: 'weights'; trainable: Float32Array; stats: Float32Array | null }
  | { type: 'state'; weights: boolean };

export type FromWorker =
  | { type: 'ready'; backend: string; layout: { path: string; size: number; trainable: boolean }[] }
  | { type: 'loaded' }
  | {
      type: 'gradients';
      loss: number;
      grads: Float32Array;
      present: boolean[];
      predictions: Float32Array[];
      stats: Float32Array | null;
      /** Milliseconds of this step's forward + backward (with the read-back), and of the worker's previous `apply`. */
      computeMs: number;
      applyMs: number;
    }
  | {
      type: 'state';
      weights: Float32Array | null;
      iterations: number;
      slots: { key: string; shape: number[]; data: Float32Array }[];
      /** Names of the layer streams this worker drew from. */
      streams: string[];
    }
  | { type: 'error'; message: string };

/**
 * Splits `n` examples into at most `workers` contiguous shards, as equal as
 * possible, the larger ones first (33 over 2 → 17, 16; 1 over 2 → 1, 0).
 *
 * @example
 * ```ts
 * shardSizes(5, 2); // [3, 2]
 * ```
 */
export function shardSizes(n: number, workers: number): number[] {
  const base = Math.floor(n / workers);
  const extra = n % workers;
  return Array.from({ length: workers }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * `Σ weights[i] * parts[i] / Σ weights`, element-wise, accumulated in double
 * precision: the full-batch gradient from shard gradients (each a mean over its
 * shard) weighted by shard size.
 *
 * @example
 * ```ts
 * weightedAverage([Float32Array.of(1), Float32Array.of(4)], [3, 1]); // [1.75]
 * ```
 */
export function weightedAverage(parts: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const length = parts[0].length;
  const out = new Float32Array(length);
  if (parts.length === 1) {
    out.set(parts[0]);
    return out;
  }
  for (let j = 0; j < length; j++) {
    let sum = 0;
    for (let s = 0; s < parts.length; s++) sum += weights[s] * parts[s][j];
    out[j] = sum / total;
  }
  return out;
}

/** The first line of an error's message: worker failures surface as one line. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim() || (error instanceof Error ? error.name : 'unknown error');
}

/** The values of `tensors` one after another, in a new buffer (safe to transfer to another thread). */
export function concatValues(tensors: readonly tf.Tensor[]): Float32Array {
  const out = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return out;
}

/** Assigns consecutive slices of `values` to `variables` (the inverse of `concatValues`). */
export function assignValues(variables: readonly tf.Variable[], values: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    const t = tf.tensor(values.subarray(offset, offset + v.size), v.shape, 'float32');
    v.assign(t);
    t.dispose();
    offset += v.size;
  }
}
