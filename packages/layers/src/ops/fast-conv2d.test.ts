import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dFilterGradient } from './fast-conv2d.js';
import { expectClose, refConv2d, useTestBackend, values } from '../test-utils/setup.js';

beforeAll(useTestBackend);

// The oracle is the float64 loop convolution refConv2d, not tfjs: the loss
// L = sum(w * conv(x, k)) is linear in x and in k, so dL/dk[i] = sum(w * conv(x, e_i))
// and dL/dx[i] = sum(w * conv(e_i, k)) exactly, with e_i the i-th unit tensor.
// Tolerance 1e-4: float32 sums of up to ~60 products of values in [-1, 1).

const cases = [
  { x: [2, 5, 6, 3], k: [3, 3], s: [1, 1], p: 'same', d: [1, 1] },
  { x: [1, 7, 5, 2], k: [3, 3], s: [2, 2], p: 'same', d: [1, 1] },
  { x: [2, 6, 6, 2], k: [2, 2], s: [2, 2], p: 'same', d: [1, 1] },
  { x: [1, 7, 8, 2], k: [3, 2], s: [2, 3], p: 'valid', d: [1, 1] },
  { x: [1, 7, 7, 2], k: [3, 3], s: [1, 1], p: 'same', d: [2, 2] },
  { x: [1, 8, 7, 1], k: [2, 3], s: [1, 1], p: 'valid', d: [2, 1] },
  // Odd total 'same' padding: TensorFlow puts the extra row/column after (bottom/right).
  { x: [1, 6, 7, 2], k: [4, 2], s: [1, 1], p: 'same', d: [1, 1] },
  { x: [2, 5, 4, 1], k: [2, 2], s: [2, 1], p: 'same', d: [1, 1] },
] as const;
const CO = 3;

function oracle(c: (typeof cases)[number], xv: number[], kv: number[], wv: (size: number) => number[]) {
  const xShape = [...c.x];
  const kShape = [c.k[0], c.k[1], c.x[3], CO];
  const run = (xs: number[], ks: number[]) => refConv2d(xs, xShape, ks, kShape, [...c.s], c.p, [...c.d]);
  const y = run(xv, kv);
  const w = wv(y.values.length);
  const loss = (v: number[]) => v.reduce((sum, yi, i) => sum + w[i] * yi, 0);
  const unit = (n: number, i: number) => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
  return {
    y,
    w,
    dx: xv.map((_, i) => loss(run(unit(xv.length, i), kv).values)),
    dk: kv.map((_, i) => loss(run(xv, unit(kv.length, i)).values)),
  };
}

describe('conv2d and its local gradient against a float64 loop convolution', () => {
  for (const c of cases) {
    it(`x ${c.x} k ${c.k} s ${c.s} ${c.p} d ${c.d} (tol 1e-4)`, () => {
      const [n, h, w, ci] = c.x;
      const xv = values(n * h * w * ci, 11);
      const kv = values(c.k[0] * c.k[1] * ci * CO, 12);
      const ref = oracle(c, xv, kv, (size) => values(size, 13));
      const x = tf.tensor4d(xv, [...c.x]);
      const k = tf.tensor4d(kv, [c.k[0], c.k[1], ci, CO]);
      const y = conv2d(x, k, [...c.s], c.p, [...c.d]);
      expect(y.shape).toEqual(ref.y.shape);
      expectClose(y, ref.y.values, 1e-4);
      const weights = tf.tensor(ref.w, y.shape);
      const [dx, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [...c.s], c.p, [...c.d]), weights)))([x, k]);
      expect(dx.shape).toEqual(x.shape);
      expect(dk.shape).toEqual(k.shape);
      expectClose(dx, ref.dx, 1e-4);
      expectClose(dk, ref.dk, 1e-4);
      // The filter gradient helper itself, on every backend (conv2d uses it on cpu only).
      const direct = conv2dFilterGradient(x, weights as tf.Tensor4D, [c.k[0], c.k[1]], [...c.s], c.p, [...c.d]);
      expect(direct.shape).toEqual(k.shape);
      expectClose(direct, ref.dk, 1e-4);
    });
  }
});
