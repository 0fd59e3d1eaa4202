import { beforeAll, describe, it } from 'vitest';
import { chain, expectOnnxMatchesReference, layer, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

describe('MaxPooling2D / AveragePooling2D -> MaxPool / AveragePool', () => {
  const cases: [string, [number, number], Record<string, unknown>][] = [
    ['default 2x2 valid, even size', [8, 8], {}],
    ['2x2 valid, odd size (last row dropped)', [9, 7], {}],
    ['3x3 stride 2 same, even size', [8, 8], { poolSize: 3, strides: 2, padding: 'same' }],
    ['3x3 stride 2 same, odd size', [9, 7], { poolSize: 3, strides: 2, padding: 'same' }],
    ['2x2 stride 1 same', [5, 6], { poolSize: 2, strides: 1, padding: 'same' }],
    ['3x2 pool, strides (1, 2) valid', [7, 8], { poolSize: [3, 2], strides: [1, 2] }],
  ];
  for (const className of ['MaxPooling2D', 'AveragePooling2D']) {
    it.each(cases)(`${className} %s matches tfjs within 1e-4 (N = 1, 3)`, async (_label, size, config) => {
      // Rescaling to [-1, 1] makes negative values reach the padded border (a zero pad would win a max).
      const model = chain([size[0], size[1], 3], [layer('pool', className, [], config)]);
      model.layers[1].config = { scale: 2 / 255, offset: -1 };
      await expectOnnxMatchesReference(model);
    });
  }
});
