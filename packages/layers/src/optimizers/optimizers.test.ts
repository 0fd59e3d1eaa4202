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

// A literal table: the starting weight and the gradient of each of three steps.
const w0 = [1, -2, 0.5, 0];
const grads = [
  [0.1, -0.2, 0.3, 0],
  [0.05, 0.4, -0.1, 1],
  [-0.3, 0.1, 0.2, -0.5],
];

/** Runs the optimizer for the steps of the table and returns the weight after each step. */
function run(opt: Optimizer): number[][] {
  const w = tf.variable(tf.tensor1d(w0));
  return grads.map((g) => {
    opt.applyGradients([{ path: 'w', variable: w, gradient: tf.tensor1d(g) }]);
    return Array.from(w.dataSync());
  });
}

/** The published update rule in float64, one element at a time. */
function reference(update: (w: number, g: number, state: Record<string, number>, t: number) => number): number[][] {
  const states = w0.map(() => ({}) as Record<string, number>);
  let w = [...w0];
  return grads.map((g, step) => {
    w = w.map((wi, i) => update(wi, g[i], states[i], step + 1));
    return w;
  });
}

function check(opt: Optimizer, update: Parameters<typeof reference>[0]): void {
  const actual = run(opt);
  const expected = reference(update);
  actual.forEach((row, i) => expectClose(row, expected[i], 1e-6));
}

describe('optimizers: first three steps against the Keras 3 update rules (tol 1e-6)', () => {
  it('SGD defaults: lr 0.01, w -= lr g', () => {
    const o = new Sgd();
    expect(o.getConfig()).toEqual({ learningRate: 0.01, momentum: 0, nesterov: false });
    check(o, (w, g) => w - 0.01 * g);
  });
  it('SGD momentum: m = μm - lr g; w += m', () => {
    check(new Sgd({ learningRate: 0.1, momentum: 0.9 }), (w, g, s) => {
      s.m = 0.9 * (s.m ?? 0) - 0.1 * g;
      return w + s.m;
    });
  });
  it('SGD Nesterov: w += μm - lr g', () => {
    check(new Sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }), (w, g, s) => {
      s.m = 0.9 * (s.m ?? 0) - 0.1 * g;
      return w + 0.9 * s.m - 0.1 * g;
    });
  });
  it('RMSprop defaults: v = ρv + (1-ρ)g²; w -= lr g / sqrt(v + ε)', () => {
    const o = new Rmsprop();
    expect(o.getConfig()).toEqual({ learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    check(o, (w, g, s) => {
      s.v = 0.9 * (s.v ?? 0) + 0.1 * g * g;
      return w - (0.001 * g) / Math.sqrt(s.v + 1e-7);
    });
  });
  it('RMSprop centred with momentum', () => {
    check(new Rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }), (w, g, s) => {
      s.v = 0.9 * (s.v ?? 0) + 0.1 * g * g;
      s.a = 0.9 * (s.a ?? 0) + 0.1 * g;
      const inc = (0.01 * g) / Math.sqrt(s.v - s.a * s.a + 1e-7);
      s.m = 0.5 * (s.m ?? 0) + inc;
      return w - s.m;
    });
  });
  const adam = (lr: number, b1: number, b2: number, eps: number, wd = 0) => (w: number, g: number, s: Record<string, number>, t: number) => {
    const decayed = w - lr * wd * w;
    s.m = (s.m ?? 0) + (g - (s.m ?? 0)) * (1 - b1);
    s.v = (s.v ?? 0) + (g * g - (s.v ?? 0)) * (1 - b2);
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    return decayed - (alpha * s.m) / (Math.sqrt(s.v) + eps);
  };
  it('Adam defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7, bias correction in the step size', () => {
    const o = new Adam();
    expect(o.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false });
    check(o, adam(0.001, 0.9, 0.999, 1e-7));
    check(new Adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-3 }), adam(0.1, 0.8, 0.99, 1e-3));
  });
  it('AdamW: decoupled decay w -= lr·wd·w before the Adam step (default wd 0.004)', () => {
    const o = new AdamW({ learningRate: 0.05 });
    expect(o.getConfig()).toMatchObject({ weightDecay: 0.004, learningRate: 0.05 });
    check(o, adam(0.05, 0.9, 0.999, 1e-7, 0.004));
    check(new AdamW({ learningRate: 0.05, weightDecay: 0.1 }), adam(0.05, 0.9, 0.999, 1e-7, 0.1));
  });
  it('state round trip continues identically', () => {
    const a = new Adam({ learningRate: 0.1 });
    const w = tf.variable(tf.tensor1d(w0));
    a.applyGradients([{ path: 'w', variable: w, gradient: tf.tensor1d(grads[0]) }]);
    const b = createOptimizer({ className: 'Adam', config: a.getConfig() });
    b.setState(a.getState());
    const w2 = tf.variable(tf.clone(w));
    a.applyGradients([{ path: 'w', variable: w, gradient: tf.tensor1d(grads[1]) }]);
    b.applyGradients([{ path: 'w', variable: w2, gradient: tf.tensor1d(grads[1]) }]);
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w.dataSync()));
    expect(b.iterations).toBe(2);
  });
  it('createOptimizer resolves names case-insensitively and lists the available ones', () => {
    expect(createOptimizer('adamw').className).toBe('AdamW');
    expect(createOptimizer('rmsprop').className).toBe('RMSprop');
    expect(() => createOptimizer('adagrad')).toThrow(/optimizer: unknown "adagrad"; available: SGD, RMSprop, Adam, AdamW/);
    expect(() => createOptimizer({ className: 'SGD', config: { lr: 0.1 } })).toThrow(/SGD: unknown option "lr"; available: learningRate, momentum, nesterov/);
  });
});
