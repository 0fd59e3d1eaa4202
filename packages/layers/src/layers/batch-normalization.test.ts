import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization } from './batch-normalization.js';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, oneLayerModel, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('BatchNormalization', () => {
  const x = () => tf.tensor2d([1, 10, 2, 20, 3, 30, 4, 40], [4, 2]);
  it('training: normalises with batch mean and biased variance, then updates the moving statistics (Keras 3)', () => {
    const layer = new BatchNormalization();
    const m = oneLayerModel(layer, [2]);
    const y = m.call([x()], { training: true })[0];
    // Channel 0: mean 2.5, biased variance 1.25; channel 1: mean 25, variance 125.
    const ref = [1, 10, 2, 20, 3, 30, 4, 40].map((v, i) =>
      i % 2 === 0 ? (v - 2.5) / Math.sqrt(1.25 + 1e-3) : (v - 25) / Math.sqrt(125 + 1e-3),
    );
    expectClose(y, ref, 1e-5);
    const w = Object.fromEntries(m.namedWeights().map((n) => [n.path, Array.from(n.variable.dataSync())]));
    expectClose(w['batch_normalization/moving_mean'], [0.025, 0.25], 1e-6);
    expectClose(w['batch_normalization/moving_variance'], [0.99 + 0.0125, 0.99 + 1.25], 1e-5);
  });
  it('inference uses the moving statistics and gamma/beta', () => {
    const layer = new BatchNormalization({ epsilon: 0.01 });
    const m = oneLayerModel(layer, [2]);
    const set = (name: string, v: number[]) => layer.weights.find((w) => w.name === name)!.variable.assign(tf.tensor1d(v));
    set('moving_mean', [1, 2]);
    set('moving_variance', [4, 0.25]);
    set('gamma', [2, 1]);
    set('beta', [0, -1]);
    const y = m.call([x()], { training: false })[0];
    const ref = [1, 10, 2, 20, 3, 30, 4, 40].map((v, i) =>
      i % 2 === 0 ? ((v - 1) / Math.sqrt(4.01)) * 2 : (v - 2) / Math.sqrt(0.26) - 1,
    );
    expectClose(y, ref, 1e-4);
  });
  it('a frozen layer runs in inference mode and its weights are non-trainable', () => {
    const layer = new BatchNormalization({ trainable: false });
    const m = oneLayerModel(layer, [2]);
    expectClose(m.call([x()], { training: true })[0], [1, 10, 2, 20, 3, 30, 4, 40].map((v) => v / Math.sqrt(1.001)), 1e-5);
    expect(m.countParams()).toEqual({ total: 8, trainable: 0, nonTrainable: 8 });
  });
  it('normalises per channel over N, H, W for images', () => {
    const m = oneLayerModel(new BatchNormalization({ center: false, scale: false }), [2, 2, 1]);
    const y = m.call([tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1])], { training: true })[0];
    const mean = 4.5;
    const variance = [1, 2, 3, 4, 5, 6, 7, 8].reduce((s, v) => s + (v - mean) ** 2, 0) / 8;
    expectClose(y, [1, 2, 3, 4, 5, 6, 7, 8].map((v) => (v - mean) / Math.sqrt(variance + 1e-3)), 1e-5);
    expect(m.countParams()).toEqual({ total: 2, trainable: 0, nonTrainable: 2 });
  });
  it('shape errors and config round trip', () => {
    expect(() => oneLayerModel(new BatchNormalization({ axis: 3 }), [4])).toThrow(ShapeError);
    const l = new BatchNormalization({ momentum: 0.9, epsilon: 1e-5 });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
