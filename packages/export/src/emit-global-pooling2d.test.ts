import { beforeAll, describe, it } from 'vitest';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

describe('GlobalAveragePooling2D / GlobalMaxPooling2D', () => {
  for (const className of ['GlobalAveragePooling2D', 'GlobalMaxPooling2D']) {
    it(`${className} then Dense matches tfjs within 1e-4`, async () => {
      const r = rng(className);
      const model = chain([7, 6, 3], [
        layer('conv', 'Conv2D', [], { filters: 5, kernelSize: 3, padding: 'same' }, { kernel: randomWeight(r, [3, 3, 3, 5]), bias: randomWeight(r, [5]) }),
        layer('gap', className, []),
        layer('dense', 'Dense', [], { units: 1, activation: 'sigmoid' }, { kernel: randomWeight(r, [5, 1]), bias: randomWeight(r, [1]) }),
      ], ['cat', 'dog']);
      await expectOnnxMatchesReference(model);
    });
    it(`${className} keepdims keeps [N, 1, 1, C]`, async () => {
      const model = chain([5, 4, 3], [layer('gap', className, [], { keepdims: true })]);
      await expectOnnxMatchesReference(model);
    });
  }
});
