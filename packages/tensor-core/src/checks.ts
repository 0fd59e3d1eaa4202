import type * as tf from '@tensorflow/tfjs-core';
import { DTypeError, ShapeError } from './errors.js';

/** `[2, null, 3]` → `(2, None, 3)`-like text used in every shape message. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/**
 * Checks a shape against a pattern where `null` matches any size.
 *
 * @example
 * ```ts
 * assertShape('conv2d', 'input', x.shape, [null, null, null, 3]);
 * ```
 */
export function assertShape(
  operation: string,
  what: string,
  shape: readonly number[],
  expected: readonly (number | null)[],
): void {
  const ok = shape.length === expected.length && expected.every((d, i) => d === null || d === shape[i]);
  if (!ok) {
    throw new ShapeError(`${operation}: expected ${what} of shape ${formatShape(expected)}, received ${formatShape(shape)}`);
  }
}

export function assertRank(operation: string, what: string, shape: readonly number[], rank: number): void {
  if (shape.length !== rank) {
    throw new ShapeError(
      `${operation}: expected ${what} of rank ${rank}, received rank ${shape.length} with shape ${formatShape(shape)}`,
    );
  }
}

export function assertDType(operation: string, what: string, tensor: tf.Tensor, allowed: readonly tf.DataType[]): void {
  if (!allowed.includes(tensor.dtype)) {
    throw new DTypeError(`${operation}: expected ${what} of dtype ${allowed.join(' or ')}, received ${tensor.dtype}`);
  }
}
