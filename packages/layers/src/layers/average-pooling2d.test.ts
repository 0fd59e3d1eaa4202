import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AveragePooling2D } from './average-pooling2d.js';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, oneLayerModel, runLayer, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('AveragePooling2D', () => {
  it('averages 2x2 windows (hand-computed)', () => {
    const { y } = runLayer(new AveragePooling2D(), tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]));
    expectClose(y, [3.5, 5.5, 11.5, 13.5], 1e-6);
  });
  it('same padding does not count the padded positions (TensorFlow)', () => {
    const { y } = runLayer(new AveragePooling2D({ padding: 'same' }), tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]));
    expectClose(y, [3, 4.5, 7.5, 9], 1e-6);
  });
  it('shape errors name the layer', () => {
    expect(() => oneLayerModel(new AveragePooling2D(), [1, 5, 2])).toThrow(/AveragePooling2D: expected an input of at least 2x2/);
  });
  it('round-trips its config', () => {
    const l = new AveragePooling2D({ poolSize: 3, strides: 2 });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
