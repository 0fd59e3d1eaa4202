import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, EPSILON, perExampleLoss, reduceLoss, resolveLoss } from './losses.js';
import { useTestBackend } from '../test-utils/setup.js';

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
    expect(() => computeLoss('sparse_categorical_crossentropy', tf.tensor1d([0, 1, 1]), tf.tensor2d([[0.9, 0.1], [0.2, 0.8]]))).toThrow(
      /sparse_categorical_crossentropy: expected one integer label per prediction row of \(2, 2\), received labels \(3,\)/,
    );
  });

  it.each([
    // spec, resolved
    ['mse', { name: 'mean_squared_error', fromLogits: false }],
    ['binary_crossentropy', { name: 'binary_crossentropy', fromLogits: false }],
    [{ name: 'categorical_crossentropy', fromLogits: true }, { name: 'categorical_crossentropy', fromLogits: true }],
    [{ name: 'sparse_categorical_crossentropy' }, { name: 'sparse_categorical_crossentropy', fromLogits: false }],
  ] as const)('resolveLoss(%j) = %j', (spec, resolved) => {
    expect(resolveLoss(spec)).toEqual(resolved);
  });
  it.each([
    // spec, message
    [null, /^compile: unknown loss null; available: binary_crossentropy, /],
    [42, /^compile: unknown loss 42; available: /],
    [{ fromLogits: true }, /^compile: unknown loss .*; available: /],
    [{ name: 'binary_crossentropy', fromLogits: 'yes' }, /^compile: expected loss.fromLogits true or false, received "yes"$/],
  ] as const)('resolveLoss(%j) throws %s', (spec, message) => {
    expect(() => resolveLoss(spec)).toThrow(message);
  });

  it('integer labels give the same loss as float labels (binary, categorical, mse)', () => {
    for (const [loss, y, p] of [
      ['binary_crossentropy', [[1], [0]], [[0.8], [0.3]]],
      ['categorical_crossentropy', [[0, 1], [1, 0]], [[0.3, 0.7], [0.6, 0.4]]],
      ['mean_squared_error', [[1, 0], [0, 2]], [[0.5, 0.5], [1, 1]]],
    ] as const) {
      const asFloat = value(computeLoss(loss, tf.tensor2d(y.map((r) => [...r])), tf.tensor2d(p.map((r) => [...r]))));
      const asInt = value(computeLoss(loss, tf.tensor2d(y.map((r) => [...r]), undefined, 'int32'), tf.tensor2d(p.map((r) => [...r]))));
      close(asInt, asFloat);
    }
  });

  it('reduces over the last axis only: per-example losses of [2, 2, 2] predictions are [2, 2], hand-computed', () => {
    // Each row of 2 values is one Keras "sample" of a sequence of 2: losses per [n, t].
    const p = [[[0.8, 0.4], [0.1, 0.6]], [[0.5, 0.5], [0.9, 0.2]]];
    const y = [[[1, 0], [0, 1]], [[1, 1], [1, 0]]];
    const bce = (pv: number, yv: number) => -(yv * log(pv) + (1 - yv) * log(1 - pv));
    const expectedBce = p.map((rows, n) => rows.map((row, t) => (bce(row[0], y[n][t][0]) + bce(row[1], y[n][t][1])) / 2));
    const perBce = perExampleLoss({ name: 'binary_crossentropy', fromLogits: false }, tf.tensor3d(y), tf.tensor3d(p));
    expect(perBce.shape).toEqual([2, 2]);
    expectValues(perBce, expectedBce.flat());
    // categorical over the last axis: renormalised rows, -log p[label]
    const q = [[[0.2, 0.6], [0.3, 0.1]], [[0.5, 0.5], [0.9, 0.3]]];
    const onehot = [[[0, 1], [1, 0]], [[1, 0], [1, 0]]];
    const expectedCce = q.map((rows, n) => rows.map((row, t) => -log(row[onehot[n][t].indexOf(1)] / (row[0] + row[1]))));
    const perCce = perExampleLoss({ name: 'categorical_crossentropy', fromLogits: false }, tf.tensor3d(onehot), tf.tensor3d(q));
    expect(perCce.shape).toEqual([2, 2]);
    expectValues(perCce, expectedCce.flat());
    const logits = [[[1, -1], [0.5, 2]], [[-2, 0], [3, 1]]];
    const logSoftmaxAt = (row: number[], k: number) => row[k] - log(row.reduce((a, v) => a + Math.exp(v), 0));
    const expectedLogits = logits.map((rows, n) => rows.map((row, t) => -logSoftmaxAt(row, onehot[n][t].indexOf(1))));
    expectValues(perExampleLoss({ name: 'categorical_crossentropy', fromLogits: true }, tf.tensor3d(onehot), tf.tensor3d(logits)), expectedLogits.flat());
    const expectedMse = p.map((rows, n) => rows.map((row, t) => ((row[0] - y[n][t][0]) ** 2 + (row[1] - y[n][t][1]) ** 2) / 2));
    expectValues(perExampleLoss({ name: 'mean_squared_error', fromLogits: false }, tf.tensor3d(y), tf.tensor3d(p)), expectedMse.flat());
    // reduceLoss: the mean of each example's [2] losses, weighted, summed, over N = 2.
    const weighted = value(reduceLoss(perBce, tf.tensor1d([2, 0.5])));
    close(weighted, (2 * (expectedBce[0][0] + expectedBce[0][1]) / 2 + 0.5 * (expectedBce[1][0] + expectedBce[1][1]) / 2) / 2);
  });
});

function expectValues(t: tf.Tensor, expected: number[]): void {
  const got = Array.from(t.dataSync());
  expect(got.length).toBe(expected.length);
  // float32 kernels against float64 references: 1e-6 relative.
  for (const [i, v] of expected.entries()) expect(Math.abs(got[i] - v), `value ${i}: ${got[i]} vs ${v}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)));
}
