import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, useTestBackend } from '../test-utils/setup.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { createOptimizer } from './create-optimizer.js';
import type { Optimizer } from './optimizer.js';
import { Rmsprop } from './rmsprop.js';
import { Sgd } from './sgd.js';

beforeAll(useTestBackend);

// Argument ranges (Keras's), the slot names a checkpoint stores (Keras's variable
// names: m, v, v_hat, velocity, average_gradient, momentum), AMSGrad, and state checks.

describe('optimizer arguments are range-checked, naming the optimizer', () => {
  it.each([
    ['SGD', { learningRate: -0.1 }, 'SGD: expected "learningRate" >= 0, received -0.1'],
    ['SGD', { momentum: 1.5 }, 'SGD: expected "momentum" <= 1, received 1.5'],
    ['SGD', { momentum: -0.5 }, 'SGD: expected "momentum" >= 0, received -0.5'],
    ['RMSprop', { learningRate: -1 }, 'RMSprop: expected "learningRate" >= 0, received -1'],
    ['RMSprop', { rho: 1.1 }, 'RMSprop: expected "rho" <= 1, received 1.1'],
    ['RMSprop', { rho: -0.1 }, 'RMSprop: expected "rho" >= 0, received -0.1'],
    ['RMSprop', { momentum: 2 }, 'RMSprop: expected "momentum" <= 1, received 2'],
    ['RMSprop', { momentum: -1 }, 'RMSprop: expected "momentum" >= 0, received -1'],
    ['RMSprop', { epsilon: -1e-7 }, 'RMSprop: expected "epsilon" >= 0, received -1e-7'],
    ['Adam', { learningRate: -1 }, 'Adam: expected "learningRate" >= 0, received -1'],
    ['Adam', { beta1: 1 }, 'Adam: expected "beta1" < 1, received 1'],
    ['Adam', { beta1: -0.1 }, 'Adam: expected "beta1" >= 0, received -0.1'],
    ['Adam', { beta2: 1 }, 'Adam: expected "beta2" < 1, received 1'],
    ['Adam', { beta2: -0.1 }, 'Adam: expected "beta2" >= 0, received -0.1'],
    ['Adam', { epsilon: -1 }, 'Adam: expected "epsilon" >= 0, received -1'],
    ['AdamW', { weightDecay: -0.1 }, 'AdamW: expected "weightDecay" >= 0, received -0.1'],
    ['AdamW', { beta1: 1 }, 'AdamW: expected "beta1" < 1, received 1'],
  ] as const)('%s %j', (className, config, message) => {
    expect(() => createOptimizer({ className, config })).toThrow(message);
  });
});

function step(opt: Optimizer, gradients: number[][]): { w: number[]; slots: string[] } {
  const w = tf.variable(tf.tensor1d([1, -2]));
  for (const g of gradients) opt.applyGradients([{ path: 'dense/kernel', variable: w, gradient: tf.tensor1d(g) }]);
  const state = opt.getState();
  const slots = [...state.slots.keys()].sort();
  for (const t of state.slots.values()) t.dispose();
  return { w: Array.from(w.dataSync()), slots };
}

describe('slots, named as Keras names its optimizer variables', () => {
  it.each([
    ['SGD', {}, []],
    ['SGD', { momentum: 0.9 }, ['momentum']],
    ['RMSprop', {}, ['velocity']],
    ['RMSprop', { centered: true }, ['average_gradient', 'velocity']],
    ['RMSprop', { momentum: 0.5 }, ['momentum', 'velocity']],
    ['Adam', {}, ['m', 'v']],
    ['Adam', { amsgrad: true }, ['m', 'v', 'v_hat']],
    ['AdamW', {}, ['m', 'v']],
  ] as const)('%s %j keeps %j', (className, config, names) => {
    const opt = createOptimizer({ className, config });
    expect(opt.className).toBe(className);
    expect(step(opt, [[0.1, 0.2]]).slots).toEqual(names.map((n) => `dense/kernel/${n}`));
    opt.dispose();
  });
});

describe('AMSGrad', () => {
  it('divides by the running maximum of v (float64 reference, tol 1e-6)', () => {
    // Gradients chosen so v falls after step 1: v_hat keeps step 1's value.
    const gradients = [[1, -2], [0.01, 0.02], [0.01, 0.02]];
    const [lr, b1, b2, eps] = [0.1, 0.9, 0.999, 1e-7];
    const w = [1, -2];
    const m = [0, 0];
    const v = [0, 0];
    const vHat = [0, 0];
    for (const [t, g] of gradients.entries()) {
      const alpha = (lr * Math.sqrt(1 - b2 ** (t + 1))) / (1 - b1 ** (t + 1));
      for (let i = 0; i < 2; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
        vHat[i] = Math.max(vHat[i], v[i]);
        w[i] -= (alpha * m[i]) / (Math.sqrt(vHat[i]) + eps);
      }
    }
    const ams = step(new Adam({ learningRate: lr, amsgrad: true }), gradients).w;
    expectClose(ams, w, 1e-6);
    // and differs from plain Adam on the same steps
    const plain = step(new Adam({ learningRate: lr }), gradients).w;
    expect(Math.abs(plain[0] - ams[0])).toBeGreaterThan(1e-5);
  });
});

describe('createOptimizer and optimizer state', () => {
  it('passes an optimizer instance through, and reads a spec without config as the defaults', () => {
    const sgd = new Sgd({ learningRate: 0.5 });
    expect(createOptimizer(sgd)).toBe(sgd);
    expect(createOptimizer({ className: 'rmsprop' as 'RMSprop' }).getConfig()).toEqual(new Rmsprop().getConfig());
    expect(createOptimizer('adamw')).toBeInstanceOf(AdamW);
  });
  it.each([[null], [{}], [{ className: 7 }], ['lion']])('rejects %j, naming the optimizers', (spec) => {
    expect(() => createOptimizer(spec as never)).toThrow(/^optimizer: unknown .*; available: SGD, RMSprop, Adam, AdamW$/);
  });
  it.each([[-1], [1.5], [Number.NaN]])('setState rejects iterations %d', (iterations) => {
    const opt = new Adam();
    expect(() => opt.setState({ iterations, learningRate: 0.1, slots: new Map() })).toThrow(`Adam.setState: expected iterations a non-negative integer, received ${iterations}`);
  });
  it('setState accepts 0 iterations; slots are not trainable variables; dispose frees them', () => {
    const opt = new Adam();
    const registered = Object.keys(tf.engine().registeredVariables).length;
    opt.setState({ iterations: 0, learningRate: 0.1, slots: new Map([['w/m', tf.tensor1d([1, 2])]]) });
    expect(opt.iterations).toBe(0);
    // A restored slot is not trainable either (tf.variableGrads would otherwise differentiate it).
    expect(Object.values(tf.engine().registeredVariables).slice(registered).map((v) => v.trainable)).toEqual([false]);
    const variablesBefore = Object.keys(tf.engine().registeredVariables).length;
    step(opt, [[0.1, 0.1]]);
    // step() made the weight (trainable) and the optimizer m and v (not trainable).
    const made = Object.values(tf.engine().registeredVariables).slice(variablesBefore);
    expect(made.map((v) => v.trainable)).toEqual([true, false, false]);
    const before = tf.memory().numTensors;
    opt.dispose();
    // The restored slot and the two new ones.
    expect(tf.memory().numTensors).toBe(before - 3);
  });
});
