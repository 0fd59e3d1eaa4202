import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, EPSILON, resolveLoss } from './losses.js';
import { useTestBackend } from './test-utils/setup.js';

beforeAll(useTestBackend);

const value = (t: tf.Tensor) => t.dataSync()[0];
const log = Math.log;
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('losses (float64 references, tol 1e-6 relative)', () => {
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));

  it('binary cross-entropy from probabilities, clipped to [1e-7, 1 - 1e-7]', () => {
    close(value(computeLoss('binary_crossentropy', tf.tensor2d([[1], [0]]), tf.tensor2d([[0.9], [0.2]]))), -(log(0.9) + log(0.8)) / 2);
    // Certain and wrong: the clip bounds the loss. In float32, 1 - 1e-7 rounds to 0.99999988,
    // so the p = 1 case costs -log(1 - fround(1 - eps)) ≈ 15.94 and the p = 0 case -log(eps) ≈ 16.12.
    const clipped = value(computeLoss('binary_crossentropy', tf.tensor2d([[0], [1]]), tf.tensor2d([[1], [0]])));
    const bound = (-log(1 - Math.fround(1 - EPSILON)) - log(Math.fround(EPSILON))) / 2;
    expect(Math.abs(clipped - bound)).toBeLessThan(1e-4 * bound);
    // Labels may come as [N] for predictions [N, 1].
    close(value(computeLoss('binary_crossentropy', tf.tensor1d([1, 0]), tf.tensor2d([[0.9], [0.2]]))), -(log(0.9) + log(0.8)) / 2);
  });

  it('binary cross-entropy from logits (stable form)', () => {
    const ref = (-log(sigmoid(2)) - log(1 - sigmoid(-1)) - log(sigmoid(-30))) / 3;
    close(value(computeLoss({ name: 'binary_crossentropy', fromLogits: true }, tf.tensor2d([[1], [0], [1]]), tf.tensor2d([[2], [-1], [-30]]))), ref);
  });

  it('categorical and sparse categorical cross-entropy, probabilities and logits', () => {
    const p = [0.2, 0.7, 0.1, 0.5, 0.25, 0.25];
    const ref = -(log(0.7) + log(0.5)) / 2;
    close(value(computeLoss('categorical_crossentropy', tf.tensor2d([0, 1, 0, 1, 0, 0], [2, 3]), tf.tensor2d(p, [2, 3]))), ref);
    close(value(computeLoss('sparse_categorical_crossentropy', tf.tensor1d([1, 0], 'int32'), tf.tensor2d(p, [2, 3]))), ref);
    // Unnormalised probabilities are renormalised first (Keras).
    close(value(computeLoss('categorical_crossentropy', tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 3]]))), -log(0.75));
    const logits = [1, 2, 3, -1, 0, 4];
    const lse = (a: number[]) => log(a.reduce((s, v) => s + Math.exp(v), 0));
    const refLogits = ((lse(logits.slice(0, 3)) - 3) + (lse(logits.slice(3)) - 0)) / 2;
    close(value(computeLoss({ name: 'sparse_categorical_crossentropy', fromLogits: true }, tf.tensor2d([[2], [1]], [2, 1], 'int32'), tf.tensor2d(logits, [2, 3]))), refLogits);
    close(value(computeLoss({ name: 'categorical_crossentropy', fromLogits: true }, tf.tensor2d([0, 0, 1, 0, 1, 0], [2, 3]), tf.tensor2d(logits, [2, 3]))), refLogits);
  });

  it('mean squared error and sample weights (sum of weighted losses / N, Keras 3)', () => {
    close(value(computeLoss('mse', tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1.5, 2], [1, 4]]))), (0.125 + 2) / 2);
    const w = tf.tensor1d([3, 0]);
    close(value(computeLoss('binary_crossentropy', tf.tensor2d([[1], [0]]), tf.tensor2d([[0.9], [0.2]]), w)), (3 * -log(0.9)) / 2);
  });

  it('rejects unknown losses and mismatched labels', () => {
    expect(() => resolveLoss('hinge')).toThrow(/compile: unknown loss "hinge"; available: binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, mean_squared_error, mse/);
    expect(() => computeLoss('binary_crossentropy', tf.tensor1d([1, 0, 1]), tf.tensor2d([[0.9], [0.2]]))).toThrow(/binary_crossentropy: expected labels with as many values as the predictions \(2, 1\), received \(3,\)/);
  });
});
