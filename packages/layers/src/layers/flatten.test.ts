import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Flatten } from './flatten.js';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, oneLayerModel, runLayer, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('Flatten', () => {
  it('keeps the batch and flattens the rest in row-major order', () => {
    const { y } = runLayer(new Flatten(), tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2]));
    expect(y.shape).toEqual([2, 4]);
    expectClose(y, [1, 2, 3, 4, 5, 6, 7, 8], 0);
  });
  it('infers (None, H*W*C)', () => {
    expect(oneLayerModel(new Flatten(), [3, 4, 5]).outputShapes[0]).toEqual([null, 60]);
    expect(() => oneLayerModel(new Flatten(), [])).toThrow(ShapeError);
  });
  it('round-trips its config', () => {
    const l = new Flatten({ name: 'flat' });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
