import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxPool, maxPoolGradient } from './fast-max-pool.js';
import { expectClose, useTestBackend, values } from '../test-utils/setup.js';

beforeAll(useTestBackend);

/**
 * Float64 oracle, plain loops: non-overlapping 'valid' windows (stride = pool); the
 * output is each window's maximum and the gradient goes to the window's first maximum
 * in row-major order (TensorFlow's MaxPoolGrad on ties); leftover rows/columns get 0.
 */
function reference(x: number[], [n, h, w, c]: readonly number[], dy: (size: number) => number[], [ph, pw]: readonly number[]) {
  const oh = Math.floor(h / ph);
  const ow = Math.floor(w / pw);
  const at = (b: number, i: number, j: number, ch: number) => ((b * h + i) * w + j) * c + ch;
  const y: number[] = [];
  const g = new Array<number>(x.length).fill(0);
  const d = dy(n * oh * ow * c);
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++, o++) {
          let best = at(b, i * ph, j * pw, ch);
          for (let a = 0; a < ph; a++)
            for (let e = 0; e < pw; e++) {
              const k = at(b, i * ph + a, j * pw + e, ch);
              if (x[k] > x[best]) best = k;
            }
          y.push(x[best]);
          g[best] += d[o];
        }
  return { y, shape: [n, oh, ow, c], dy: d, dx: g };
}

describe('max pooling with the local gradient against a float64 loop oracle', () => {
  it('gives each window gradient to its first maximum (ties, hand-computed)', () => {
    // One 2x2 window of equal values: the first (top-left) takes the gradient.
    const g = maxPoolGradient(tf.tensor4d([5, 5, 5, 5], [1, 2, 2, 1]), tf.tensor4d([3], [1, 1, 1, 1]), [2, 2]);
    expectClose(g, [3, 0, 0, 0], 0);
    // A 2x4 image, pool [2, 2]: window 1 has its max at (1, 0), window 2 ties at (0, 3) and (1, 2): first is (0, 3).
    const h = maxPoolGradient(tf.tensor4d([1, 2, 0, 7, 4, 3, 7, 6], [1, 2, 4, 1]), tf.tensor4d([10, 20], [1, 1, 2, 1]), [2, 2]);
    expectClose(h, [0, 0, 0, 20, 10, 0, 0, 0], 0);
  });
  for (const shape of [[2, 4, 6, 3], [1, 5, 7, 2], [3, 6, 6, 1]] as const) {
    for (const pool of [[2, 2], [3, 2]] as const) {
      it(`x ${shape}, pool ${pool}, with ties, negatives and leftover rows (exact)`, () => {
        const count = (shape as readonly number[]).reduce((a, b) => a * b, 1);
        // Rounded values make ties common; negatives included.
        const xv = values(count, 21).map((v) => Math.round(v * 3));
        const ref = reference(xv, shape, (size) => values(size, 22), pool);
        const x = tf.tensor4d(xv, [...shape]);
        const dy = tf.tensor4d(ref.dy, ref.shape as [number, number, number, number]);
        // dy values are float32-rounded the same way on both sides: compare with 1e-6.
        expectClose(maxPoolGradient(x, dy, [...pool]), ref.dx, 1e-6);
        const y = maxPool(x, [...pool], [...pool], 'valid');
        expect(y.shape).toEqual(ref.shape);
        expectClose(y, ref.y, 0);
        const viaGrad = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxPool(a as tf.Tensor4D, [...pool], [...pool], 'valid'), dy)))(x);
        expectClose(viaGrad, ref.dx, 1e-6);
      });
    }
  }
  it('falls back to tfjs for overlapping or padded windows, still differentiable', () => {
    const x = tf.tensor4d(values(2 * 4 * 4 * 2, 5), [2, 4, 4, 2]);
    const overlapping = tf.grad((a: tf.Tensor) => tf.sum(maxPool(a as tf.Tensor4D, [3, 3], [1, 1], 'same')))(x);
    expect(overlapping.shape).toEqual(x.shape);
  });
});
