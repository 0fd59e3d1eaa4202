import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, runLayer, useTestBackend } from '../test-utils/setup.js';
import { UpSampling2D } from './up-sampling2d.js';

beforeAll(useTestBackend);

describe('UpSampling2D', () => {
  const x = () => tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  it('nearest repeats rows and columns (Keras)', () => {
    const { y } = runLayer(new UpSampling2D({ size: [2, 3] }), x());
    expect(y.shape).toEqual([1, 4, 6, 1]);
    expectClose(y, [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4], 0);
  });
  it('bilinear interpolates with half-pixel centres (hand-computed)', () => {
    const { y } = runLayer(new UpSampling2D({ interpolation: 'bilinear' }), x());
    const row0 = [1, 1.25, 1.75, 2];
    const row1 = [3, 3.25, 3.75, 4];
    const mix = (a: number) => row0.map((v, i) => v * (1 - a) + row1[i] * a);
    expectClose(y, [...row0, ...mix(0.25), ...mix(0.75), ...row1], 1e-6);
  });
  it('round-trips its config', () => {
    const l = new UpSampling2D({ size: 3, interpolation: 'bilinear' });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
