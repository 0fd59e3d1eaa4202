import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, oneLayerModel, runLayer, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('global pooling', () => {
  // 2x2 image, 2 channels: channel 0 = 1,2,3,4; channel 1 = -1,-2,-3,-4.
  const x = () => tf.tensor4d([1, -1, 2, -2, 3, -3, 4, -4], [1, 2, 2, 2]);
  it('GlobalAveragePooling2D averages height and width', () => {
    const { y } = runLayer(new GlobalAveragePooling2D(), x());
    expect(y.shape).toEqual([1, 2]);
    expectClose(y, [2.5, -2.5], 1e-6);
  });
  it('GlobalMaxPooling2D takes the maximum; keepdims keeps [N,1,1,C]', () => {
    const { y } = runLayer(new GlobalMaxPooling2D({ keepdims: true }), x());
    expect(y.shape).toEqual([1, 1, 1, 2]);
    expectClose(y, [4, -1], 0);
  });
  it('rejects non-image inputs', () => {
    expect(() => oneLayerModel(new GlobalAveragePooling2D(), [4])).toThrow(ShapeError);
    expect(() => oneLayerModel(new GlobalAveragePooling2D(), [4])).toThrow(/GlobalAveragePooling2D: expected a rank-4 input .* received rank 2 with shape \(None, 4\)/);
  });
  it('round-trip configs', () => {
    for (const l of [new GlobalAveragePooling2D({ keepdims: true }), new GlobalMaxPooling2D()]) {
      expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
    }
  });
});
