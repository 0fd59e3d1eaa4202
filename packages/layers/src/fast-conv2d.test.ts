import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d } from './fast-conv2d.js';
import { expectClose, useTestBackend, values } from './test-utils/setup.js';

beforeAll(useTestBackend);

const cases = [
  { x: [2, 5, 6, 3], k: [3, 3], s: [1, 1], p: 'same', d: [1, 1] },
  { x: [1, 7, 5, 2], k: [3, 3], s: [2, 2], p: 'same', d: [1, 1] },
  { x: [2, 6, 6, 2], k: [2, 2], s: [2, 2], p: 'same', d: [1, 1] },
  { x: [1, 7, 8, 2], k: [3, 2], s: [2, 3], p: 'valid', d: [1, 1] },
  { x: [1, 7, 7, 2], k: [3, 3], s: [1, 1], p: 'same', d: [2, 2] },
  { x: [1, 8, 7, 1], k: [2, 3], s: [1, 1], p: 'valid', d: [2, 1] },
] as const;

describe('conv2d with the local gradient', () => {
  for (const c of cases) {
    it(`matches the registered Conv2D gradient: x ${c.x} k ${c.k} s ${c.s} ${c.p} d ${c.d} (tol 1e-4)`, () => {
      const [n, h, w, ci] = c.x;
      const x = tf.tensor4d(values(n * h * w * ci, 11), [...c.x]);
      const k = tf.tensor4d(values(c.k[0] * c.k[1] * ci * 3, 12), [c.k[0], c.k[1], ci, 3]);
      // A non-uniform upstream gradient: weight the outputs before summing.
      const loss = (f: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D) => (a: tf.Tensor, b: tf.Tensor) => {
        const y = f(a as tf.Tensor4D, b as tf.Tensor4D);
        return tf.sum(tf.mul(y, tf.tensor(values(y.size, 13), y.shape)));
      };
      const ours = tf.grads(loss((a, b) => conv2d(a, b, [...c.s], c.p, [...c.d])))([x, k]);
      const reference = tf.grads(loss((a, b) => tf.conv2d(a, b, [...c.s], c.p, 'NHWC', [...c.d])))([x, k]);
      expect(ours[0].shape).toEqual(x.shape);
      expect(ours[1].shape).toEqual(k.shape);
      expectClose(ours[0], Array.from(reference[0].dataSync()), 1e-4);
      expectClose(ours[1], Array.from(reference[1].dataSync()), 1e-4);
      expectClose(conv2d(x, k, [...c.s], c.p, [...c.d]), Array.from(tf.conv2d(x, k, [...c.s], c.p, 'NHWC', [...c.d]).dataSync()), 0);
    });
  }
});
