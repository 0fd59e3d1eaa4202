import { beforeAll, describe, it } from 'vitest';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

describe('Dense -> Gemm / MatMul', () => {
  it('softmax head on flattened pixels: [N, classes]', async () => {
    const r = rng('dense-softmax');
    const model = chain([4, 3, 3], [
      layer('flatten', 'Flatten', []),
      layer('dense', 'Dense', [], { units: 4, activation: 'softmax' }, { kernel: randomWeight(r, [36, 4]), bias: randomWeight(r, [4]) }),
    ], ['a', 'b', 'c', 'd']);
    await expectOnnxMatchesReference(model);
  });
  it('sigmoid head without bias', async () => {
    const r = rng('dense-sigmoid');
    const model = chain([3, 3, 3], [
      layer('flatten', 'Flatten', []),
      layer('dense', 'Dense', [], { units: 1, activation: 'sigmoid', useBias: false }, { kernel: randomWeight(r, [27, 1]) }),
    ], ['cat', 'dog']);
    await expectOnnxMatchesReference(model);
  });
  it('Dense on a 4-D tensor acts on the channel axis (per pixel)', async () => {
    const r = rng('dense-4d');
    const model = chain([4, 5, 3], [
      layer('conv', 'Conv2D', [], { filters: 4, kernelSize: 1 }, { kernel: randomWeight(r, [1, 1, 3, 4]), bias: randomWeight(r, [4]) }),
      layer('dense', 'Dense', [], { units: 2, activation: 'tanh' }, { kernel: randomWeight(r, [4, 2]), bias: randomWeight(r, [2]) }),
    ]);
    await expectOnnxMatchesReference(model);
  });
});
