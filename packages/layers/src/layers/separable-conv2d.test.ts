import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerFromConfig } from './layer-registry.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { expectClose, oneLayerModel, refConv2d, runLayer, useTestBackend, values } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('SeparableConv2D', () => {
  it('is a depthwise convolution then a 1x1 convolution (float64 reference, tol 1e-5)', () => {
    const [n, h, w, ci, dm, f] = [1, 5, 5, 2, 2, 3];
    const xv = values(n * h * w * ci, 1);
    const dv = values(3 * 3 * ci * dm, 2);
    const pv = values(ci * dm * f, 3);
    const { y } = runLayer(new SeparableConv2D({ filters: f, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: dm, useBias: false }), tf.tensor4d(xv, [n, h, w, ci]), {
      weights: { depthwise_kernel: tf.tensor4d(dv, [3, 3, ci, dm]), pointwise_kernel: tf.tensor4d(pv, [1, 1, ci * dm, f]) },
    });
    // Depthwise = per input channel c, a conv of that channel with kernel [3,3,1,dm]; channel order c*dm + m.
    const depth: number[][] = [];
    for (let c = 0; c < ci; c++) {
      const xc = xv.filter((_, i) => i % ci === c);
      const kc = dv.filter((_, i) => Math.floor(i / dm) % ci === c);
      depth.push(refConv2d(xc, [n, h, w, 1], kc, [3, 3, 1, dm], [2, 2], 'same').values);
    }
    const pixels = depth[0].length / dm;
    const dwOut: number[] = [];
    for (let p = 0; p < pixels; p++) for (let c = 0; c < ci; c++) for (let m = 0; m < dm; m++) dwOut.push(depth[c][p * dm + m]);
    const ref = refConv2d(dwOut, [1, 3, 3, ci * dm], pv, [1, 1, ci * dm, f], [1, 1], 'valid');
    expect(y.shape).toEqual([1, 3, 3, f]);
    expectClose(y, ref.values, 1e-5);
  });
  it('has Keras weights and parameter count', () => {
    const m = oneLayerModel(new SeparableConv2D({ filters: 8, kernelSize: 3 }), [6, 6, 4]);
    expect(m.namedWeights().map((w) => [w.path, w.variable.shape])).toEqual([
      ['separable_conv2d/depthwise_kernel', [3, 3, 4, 1]],
      ['separable_conv2d/pointwise_kernel', [1, 1, 4, 8]],
      ['separable_conv2d/bias', [8]],
    ]);
    expect(m.countParams().total).toBe(36 + 32 + 8);
    expect(() => oneLayerModel(new SeparableConv2D({ filters: 1, kernelSize: 5 }), [4, 4, 1])).toThrow(ShapeError);
  });
  it('round-trips its config', () => {
    const l = new SeparableConv2D({ filters: 2, kernelSize: 3, depthMultiplier: 2, activation: 'swish' });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
