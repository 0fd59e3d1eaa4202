import { beforeAll, describe, it } from 'vitest';
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
});
