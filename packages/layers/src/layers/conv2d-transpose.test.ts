import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { layerFromConfig } from './layer-registry.js';
import { expectClose, oneLayerModel, runLayer, samePadBefore, useTestBackend, values } from '../test-utils/setup.js';

beforeAll(useTestBackend);

/** Float64 reference: scatter every input pixel through the kernel, then crop TF's same padding. */
function refTranspose(x: number[], [n, h, w, ci]: number[], k: number[], [kh, kw, co]: number[], s: number, padding: 'same' | 'valid', d = 1) {
  const effH = (kh - 1) * d + 1;
  const effW = (kw - 1) * d + 1;
  const fullH = (h - 1) * s + effH;
  const fullW = (w - 1) * s + effW;
  const oh = padding === 'same' ? h * s : fullH;
  const ow = padding === 'same' ? w * s : fullW;
  const pt = padding === 'same' ? samePadBefore(oh, h, kh, s, d) : 0;
  const pl = padding === 'same' ? samePadBefore(ow, w, kw, s, d) : 0;
  const out = new Float64Array(n * oh * ow * co);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let a = 0; a < kh; a++)
          for (let c = 0; c < kw; c++) {
            const y = i * s + a * d - pt;
            const xx = j * s + c * d - pl;
            if (y < 0 || y >= oh || xx < 0 || xx >= ow) continue;
            for (let o = 0; o < co; o++)
              for (let q = 0; q < ci; q++) out[((b * oh + y) * ow + xx) * co + o] += x[((b * h + i) * w + j) * ci + q] * k[((a * kw + c) * co + o) * ci + q];
          }
  return { values: Array.from(out), shape: [n, oh, ow, co] };
}

describe('Conv2DTranspose', () => {
  it('stride 2, 2x2 kernel of ones spreads each pixel over a 2x2 block (hand-computed)', () => {
    for (const padding of ['valid', 'same'] as const) {
      const { y } = runLayer(new Conv2DTranspose({ filters: 1, kernelSize: 2, strides: 2, padding, useBias: false }), tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), {
        weights: { kernel: tf.ones([2, 2, 1, 1]) },
      });
      expect(y.shape).toEqual([1, 4, 4, 1]);
      expectClose(y, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], 0);
    }
  });
  it('output shapes follow Keras: valid (in-1)*s + k, same in*s', () => {
    const shape = (args: ConstructorParameters<typeof Conv2DTranspose>[0], input: number[]) => oneLayerModel(new Conv2DTranspose(args), input).outputShapes[0];
    expect(shape({ filters: 4, kernelSize: 3, strides: 2 }, [5, 6, 2])).toEqual([null, 11, 13, 4]);
    expect(shape({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, [5, 6, 2])).toEqual([null, 10, 12, 4]);
    expect(shape({ filters: 1, kernelSize: 3, dilationRate: 2 }, [4, 4, 1])).toEqual([null, 8, 8, 1]);
    expect(shape({ filters: 1, kernelSize: [1, 3] }, [4, 4, 1])).toEqual([null, 4, 6, 1]);
  });
  const cases = [
    { s: 2, padding: 'same' as const, k: 3, shape: [1, 3, 4, 2] },
    { s: 2, padding: 'valid' as const, k: 3, shape: [2, 3, 3, 2] },
    { s: 3, padding: 'same' as const, k: 2, shape: [1, 2, 3, 1] },
    { s: 1, padding: 'same' as const, k: 3, shape: [1, 4, 4, 2], d: 2 },
  ];
  for (const c of cases) {
    it(`matches a float64 reference: k${c.k} s${c.s} ${c.padding}${c.d ? ' dilation ' + c.d : ''} (tol 1e-5)`, () => {
      const [n, h, w, ci] = c.shape;
      const xv = values(n * h * w * ci, 5);
      const kv = values(c.k * c.k * 3 * ci, 9);
      const { y } = runLayer(new Conv2DTranspose({ filters: 3, kernelSize: c.k, strides: c.s, padding: c.padding, dilationRate: c.d ?? 1, useBias: false }), tf.tensor4d(xv, [n, h, w, ci]), {
        weights: { kernel: tf.tensor4d(kv, [c.k, c.k, 3, ci]) },
      });
      const ref = refTranspose(xv, c.shape, kv, [c.k, c.k, 3], c.s, c.padding, c.d ?? 1);
      expect(y.shape).toEqual(ref.shape);
      expectClose(y, ref.values, 1e-5);
    });
  }
  it('round-trips its config', () => {
    const l = new Conv2DTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
