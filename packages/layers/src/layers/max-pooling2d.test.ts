import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerFromConfig } from './layer-registry.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { expectClose, oneLayerModel, runLayer, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('MaxPooling2D', () => {
  const x = () => tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
  it('takes the maximum of each 2x2 window by default (hand-computed)', () => {
    const { y } = runLayer(new MaxPooling2D(), x());
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expectClose(y, [6, 8, 14, 16], 0);
  });
  it('same padding with stride 2 on an odd size keeps ceil(n/2)', () => {
    const { y } = runLayer(new MaxPooling2D({ padding: 'same' }), tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]));
    expectClose(y, [5, 6, 8, 9], 0);
  });
  it('pool 3 stride 1 valid with negative values', () => {
    const { y } = runLayer(new MaxPooling2D({ poolSize: 3, strides: 1 }), tf.neg(x()));
    expectClose(y, [-1, -2, -5, -6], 0);
  });
  it('rejects an input smaller than the window', () => {
    expect(() => oneLayerModel(new MaxPooling2D({ poolSize: 3 }), [2, 2, 1])).toThrow(ShapeError);
    expect(() => oneLayerModel(new MaxPooling2D({ poolSize: 3 }), [2, 2, 1])).toThrow(/MaxPooling2D: expected an input of at least 3x3 .* received \(None, 2, 2, 1\)/);
  });
  it('round-trips its config', () => {
    const l = new MaxPooling2D({ poolSize: [2, 3], strides: 1, padding: 'same' });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
