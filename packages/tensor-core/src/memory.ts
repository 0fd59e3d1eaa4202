import * as tf from '@tensorflow/tfjs-core';
import { CnnkitError } from './errors.js';

/**
 * Runs `fn` in a tensor scope: every tensor it creates is disposed when it returns,
 * except those it returns. A synchronous training step wrapped in `scope` leaks nothing.
 *
 * @example
 * ```ts
 * const loss = scope(() => tf.mean(tf.square(tf.sub(pred, target))));
 * ```
 */
export function scope<T extends tf.TensorContainer>(fn: () => T): T {
  return tf.tidy(fn);
}

/**
 * The async counterpart of `scope`: disposes every tensor created while `fn` runs
 * except the tensors in its result. Use for steps that await data reads.
 */
export async function asyncScope<T extends tf.TensorContainer>(fn: () => Promise<T>): Promise<T> {
  const engine = tf.engine();
  engine.startScope('cnnkit.asyncScope');
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    engine.endScope();
    throw error;
  }
  engine.endScope(result);
  return result;
}

/** Number of live tensors and bytes on the active backend. */
export function liveTensors(): { tensors: number; bytes: number } {
  const m = tf.memory();
  return { tensors: m.numTensors, bytes: m.numBytes };
}

/**
 * Runs `fn` and reports how many tensors it left alive beyond those it returned.
 */
export async function countLeaks<T>(fn: () => T | Promise<T>): Promise<{ result: T; leaked: number }> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const returned = countTensors(result);
  return { result, leaked: tf.memory().numTensors - before - returned };
}

/** Throws if `fn` leaves tensors alive beyond those it returns. */
export async function assertNoLeaks<T>(operation: string, fn: () => T | Promise<T>): Promise<T> {
  const { result, leaked } = await countLeaks(fn);
  if (leaked !== 0) {
    throw new CnnkitError('TENSOR_LEAK', `${operation}: expected no leaked tensors, ${leaked} stayed alive`);
  }
  return result;
}

function countTensors(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (value instanceof tf.Tensor) return value.isDisposed ? 0 : 1;
  let n = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += countTensors(v, seen);
  return n;
}
