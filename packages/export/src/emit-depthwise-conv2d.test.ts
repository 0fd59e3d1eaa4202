import { beforeAll, describe, it } from 'vitest';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

describe('DepthwiseConv2D -> grouped Conv', () => {
  const cases: [string, [number, number], Record<string, unknown>][] = [
    ['same, multiplier 1', [6, 7], { padding: 'same' }],
    ['valid, multiplier 2 (channel order c*mult+m)', [6, 6], { padding: 'valid', depthMultiplier: 2 }],
    ['same stride 2 even size', [8, 8], { padding: 'same', strides: 2 }],
    ['same dilation 2, multiplier 3', [9, 8], { padding: 'same', dilationRate: 2, depthMultiplier: 3 }],
  ];
  it.each(cases)('%s matches tf.depthwiseConv2d within 1e-4', async (label, size, config) => {
    const r = rng(`dw-${label}`);
    const mult = (config.depthMultiplier as number) ?? 1;
    const model = chain([size[0], size[1], 3], [
      layer('dw', 'DepthwiseConv2D', [], { kernelSize: 3, activation: 'relu', ...config }, {
        kernel: randomWeight(r, [3, 3, 3, mult]),
        bias: randomWeight(r, [3 * mult], 0.1),
      }),
    ]);
    await expectOnnxMatchesReference(model);
  });
});
