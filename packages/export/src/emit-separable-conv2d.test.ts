import { beforeAll, describe, it } from 'vitest';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

describe('SeparableConv2D -> depthwise Conv + pointwise Conv', () => {
  const cases: [string, [number, number], Record<string, unknown>][] = [
    ['same, multiplier 1', [6, 7], { padding: 'same' }],
    ['valid, multiplier 2 (channel order c*mult+m)', [6, 6], { padding: 'valid', depthMultiplier: 2 }],
    ['same stride 2 even size, multiplier 2', [8, 8], { padding: 'same', strides: 2, depthMultiplier: 2 }],
    ['same dilation 2', [9, 8], { padding: 'same', dilationRate: 2 }],
  ];
  it.each(cases)('%s matches tf.separableConv2d within 1e-4', async (label, size, config) => {
    const r = rng(`sep-${label}`);
    const mult = (config.depthMultiplier as number) ?? 1;
    const filters = 5;
    const model = chain([size[0], size[1], 3], [
      layer('sep', 'SeparableConv2D', [], { filters, kernelSize: 3, activation: 'elu', ...config }, {
        depthwiseKernel: randomWeight(r, [3, 3, 3, mult]),
        pointwiseKernel: randomWeight(r, [1, 1, 3 * mult, filters]),
        bias: randomWeight(r, [filters], 0.1),
      }),
    ]);
    await expectOnnxMatchesReference(model);
  });
});
