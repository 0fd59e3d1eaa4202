import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Activation } from './activation.js';
import { ACTIVATION_NAMES, type ActivationName } from '../activations/activations.js';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, runLayer, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

// Float64 references (erf values from tables: erf(1/√2) = 0.6826894921370859, erf(2/√2) = 0.9544997361036416).
const xs = [-2, -1, 0, 1, 2];
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const erfTable: Record<number, number> = { [-2]: -0.9544997361036416, [-1]: -0.6826894921370859, 0: 0, 1: 0.6826894921370859, 2: 0.9544997361036416 };
const expected: Record<ActivationName, number[]> = {
  linear: xs,
  relu: [0, 0, 0, 1, 2],
  leaky_relu: [-0.4, -0.2, 0, 1, 2],
  elu: xs.map((v) => (v > 0 ? v : Math.exp(v) - 1)),
  sigmoid: xs.map(sigmoid),
  softmax: (() => {
    const e = xs.map(Math.exp);
    const s = e.reduce((a, b) => a + b);
    return e.map((v) => v / s);
  })(),
  tanh: xs.map(Math.tanh),
  gelu: xs.map((v) => 0.5 * v * (1 + erfTable[v])),
  swish: xs.map((v) => v * sigmoid(v)),
};

describe('Activation', () => {
  for (const name of ACTIVATION_NAMES) {
    it(`${name} matches its float64 formula (tol 1e-5)`, () => {
      const { y } = runLayer(new Activation({ activation: name }), tf.tensor2d(xs, [1, 5]));
      expectClose(y, expected[name], 1e-5);
    });
  }
  it('rejects unknown names listing the available ones, and round-trips', () => {
    expect(() => new Activation({ activation: 'mish' as ActivationName })).toThrow(/one of "linear", "relu".*received "mish"/);
    const l = new Activation({ activation: 'gelu' });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
