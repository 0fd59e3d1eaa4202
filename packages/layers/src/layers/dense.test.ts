import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from './dense.js';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, oneLayerModel, runLayer, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('Dense', () => {
  const weights = () => ({ kernel: tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), bias: tf.tensor1d([0.5, 0, -0.5]) });
  it('computes x·W + b (hand-computed)', () => {
    const { y } = runLayer(new Dense({ units: 3 }), tf.tensor2d([1, 2, -1, 0], [2, 2]), { weights: weights() });
    expectClose(y, [9.5, 12, 14.5, -0.5, -2, -3.5], 1e-6);
  });
  it('works on the last axis of higher-rank inputs', () => {
    const { y } = runLayer(new Dense({ units: 3, activation: 'relu' }), tf.tensor3d([1, 2, -1, 0], [1, 2, 2]), { weights: weights() });
    expect(y.shape).toEqual([1, 2, 3]);
    expectClose(y, [9.5, 12, 14.5, 0, 0, 0], 1e-6);
  });
  it('has kernel [in, units] and bias [units]', () => {
    const m = oneLayerModel(new Dense({ units: 1 }), [128]);
    expect(m.countParams().total).toBe(129);
    expect(m.namedWeights().map((w) => w.path)).toEqual(['dense/kernel', 'dense/bias']);
  });
  it('rejects a rank-1 input', () => {
    expect(() => oneLayerModel(new Dense({ units: 2 }), [])).toThrow(ShapeError);
    expect(() => oneLayerModel(new Dense({ units: 2 }), [])).toThrow(/Dense: expected an input of rank >= 2 .* received \(None,\)/);
  });
  it('round-trips its config and rejects unknown options', () => {
    const l = new Dense({ units: 4, activation: 'softmax', useBias: false, seed: 2 });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
    expect(() => layerFromConfig({ className: 'Dense', config: { units: 2, unit: 3 } })).toThrow(/Dense: unknown option "unit"; available: .*units/);
  });
});
