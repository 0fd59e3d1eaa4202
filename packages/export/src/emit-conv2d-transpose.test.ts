import { beforeAll, describe, expect, it } from 'vitest';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

describe('Conv2DTranspose -> ConvTranspose (Keras output sizes)', () => {
  const cases: [string, [number, number], number, number, 'valid' | 'same'][] = [
    ['valid stride 2 kernel 3', [4, 5], 3, 2, 'valid'],
    ['same stride 2 kernel 3', [4, 5], 3, 2, 'same'],
    ['same stride 2 kernel 4', [3, 4], 4, 2, 'same'],
    ['valid stride 1 kernel 3', [4, 4], 3, 1, 'valid'],
    ['same stride 1 kernel 3', [5, 4], 3, 1, 'same'],
    ['valid stride 3 kernel 2 (kernel < stride: output_padding)', [3, 4], 2, 3, 'valid'],
    ['same stride 3 kernel 2 (kernel < stride: output_padding)', [3, 4], 2, 3, 'same'],
  ];
  it.each(cases)('%s matches tf.conv2dTranspose within 1e-4', async (label, size, k, s, padding) => {
    const r = rng(`deconv-${label}`);
    const filters = 4;
    const model = chain([size[0], size[1], 3], [
      layer('deconv', 'Conv2DTranspose', [], { filters, kernelSize: k, strides: s, padding, activation: 'relu' }, {
        kernel: randomWeight(r, [k, k, filters, 3]),
        bias: randomWeight(r, [filters], 0.1),
      }),
    ]);
    await expectOnnxMatchesReference(model);
  });

  const extra: [string, [number, number], Record<string, unknown>][] = [
    ['outputPadding 1, same stride 2', [4, 5], { kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 }],
    ['outputPadding (0, 1), valid stride 2', [4, 5], { kernelSize: 3, strides: 2, padding: 'valid', outputPadding: [0, 1] }],
    ['dilation 2, valid', [4, 5], { kernelSize: 3, dilationRate: 2, padding: 'valid' }],
    ['dilation 2, same', [4, 5], { kernelSize: 3, dilationRate: 2, padding: 'same' }],
  ];
  it.each(extra)('%s matches the reference within 1e-4', async (label, size, config) => {
    const r = rng(`deconv-extra-${label}`);
    const k = config.kernelSize as number;
    const model = chain([size[0], size[1], 3], [
      layer('deconv', 'Conv2DTranspose', [], { filters: 2, ...config }, { kernel: randomWeight(r, [k, k, 2, 3]), bias: randomWeight(r, [2], 0.1) }),
    ]);
    await expectOnnxMatchesReference(model);
  });

  it('refuses outputPadding not below the stride, naming the layer', async () => {
    const { exportOnnx } = await import('./export-onnx.js');
    const r = rng('deconv-bad-op');
    const model = chain([4, 4, 3], [
      layer('deconv_bad', 'Conv2DTranspose', [], { filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 }, { kernel: randomWeight(r, [3, 3, 2, 3]), bias: randomWeight(r, [2]) }),
    ]);
    expect(() => exportOnnx(model)).toThrow('layer "deconv_bad" (Conv2DTranspose): config.outputPadding expected each value below the stride [2, 2], received [2, 2]');
  });
});
