import { createRng } from '@cnnkit/tensor-core';

/** Keras's `subset`. */
export type Subset = 'training' | 'validation' | 'both';

/**
 * Keras's split: the file list is shuffled with the seed (when shuffling), then
 * the last `trunc(validationSplit * n)` files are validation and the rest training.
 * The same seed and files give the same split on every call, so two calls with
 * `subset: 'training'` and `'validation'` never overlap.
 */
export function splitIndices(count: number, validationSplit: number, shuffle: boolean, seed: number): { training: number[]; validation: number[] } {
  const order = shuffle ? createRng(seed).fork('split').permutation(count) : Array.from({ length: count }, (_, i) => i);
  const numValidation = Math.trunc(validationSplit * count);
  return { training: order.slice(0, count - numValidation), validation: order.slice(count - numValidation) };
}
