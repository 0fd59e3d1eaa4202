import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxPool, maxPoolGradient } from './fast-max-pool.js';
import { expectClose, useTestBackend, values } from './test-utils/setup.js';

beforeAll(useTestBackend);

function kernelGradient(x: tf.Tensor4D, dy: tf.Tensor4D, pool: [number, number]): tf.Tensor {
  const y = tf.maxPool(x, pool, pool, 'valid');
  return tf.engine().runKernel(tf.MaxPoolGrad, { dy, input: x, output: y }, { filterSize: pool, strides: pool, pad: 'valid' } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

describe('max pooling with the local gradient', () => {
  it('gives each window gradient to its first maximum (ties, hand-computed)', () => {
    // One 2x2 window of equal values: the first (top-left) takes the gradient.
    const g = maxPoolGradient(tf.tensor4d([5, 5, 5, 5], [1, 2, 2, 1]), tf.tensor4d([3], [1, 1, 1, 1]), [2, 2]);
    expectClose(g, [3, 0, 0, 0], 0);
  });
  for (const shape of [[2, 4, 6, 3], [1, 5, 7, 2], [3, 6, 6, 1]] as const) {
    for (const pool of [[2, 2], [3, 2]] as const) {
      it(`matches the MaxPoolGrad kernel: x ${shape}, pool ${pool}, with ties and leftover rows`, () => {
        const count = (shape as readonly number[]).reduce((a, b) => a * b, 1);
        // Rounded values make ties common; negatives included.
        const x = tf.tensor4d(values(count, 21).map((v) => Math.round(v * 3)), [...shape]);
        const y = tf.maxPool(x, [...pool], [...pool], 'valid');
        const dy = tf.tensor4d(values(y.size, 22), y.shape as [number, number, number, number]);
        expectClose(maxPoolGradient(x, dy, [...pool]), Array.from(kernelGradient(x, dy, [...pool]).dataSync()), 0);
      });
    }
  }
  it('maxPool() differentiates through the local gradient and falls back for other windows', () => {
    const x = tf.tensor4d(values(2 * 4 * 4 * 2, 5), [2, 4, 4, 2]);
    const f = (pool: [number, number], strides: [number, number], padding: 'valid' | 'same') => (a: tf.Tensor) => tf.sum(tf.mul(maxPool(a as tf.Tensor4D, pool, strides, padding), 1.5));
    const g = tf.grad(f([2, 2], [2, 2], 'valid'))(x);
    const ref = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), 1.5)))(x);
    expectClose(g, Array.from(ref.dataSync()), 0);
    const overlapping = tf.grad(f([3, 3], [1, 1], 'same'))(x);
    expect(overlapping.shape).toEqual(x.shape);
  });
});
