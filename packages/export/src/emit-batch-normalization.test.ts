import { beforeAll, describe, it } from 'vitest';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';
import type { ExportWeight } from './export-model.js';

beforeAll(useWasmReference);

function stats(r: ReturnType<typeof rng>, c: number): Record<string, ExportWeight> {
  const variance = randomWeight(r, [c], 0.5);
  // Small variances make Keras's epsilon (1e-3, not ONNX's 1e-5) matter beyond 1e-4.
  variance.values.forEach((v, i) => (variance.values[i] = Math.abs(v) * 0.02 + 0.001));
  return { gamma: randomWeight(r, [c]), beta: randomWeight(r, [c]), movingMean: randomWeight(r, [c], 0.3), movingVariance: variance };
}

describe('BatchNormalization -> BatchNormalization', () => {
  it('after a conv (NCHW), Keras epsilon default 1e-3', async () => {
    const r = rng('bn-conv');
    const model = chain([6, 5, 3], [
      layer('conv', 'Conv2D', [], { filters: 4, kernelSize: 3, padding: 'same' }, { kernel: randomWeight(r, [3, 3, 3, 4]), bias: randomWeight(r, [4]) }),
      layer('bn', 'BatchNormalization', [], {}, stats(r, 4)),
    ]);
    await expectOnnxMatchesReference(model);
  });
  it('center: false and scale: false, custom epsilon, on the NHWC input', async () => {
    const r = rng('bn-flags');
    const s = stats(r, 3);
    const model = chain([4, 4, 3], [layer('bn', 'BatchNormalization', [], { center: false, scale: false, epsilon: 0.01 }, { movingMean: s.movingMean, movingVariance: s.movingVariance })]);
    await expectOnnxMatchesReference(model);
  });
  it('after Dense ([N, units])', async () => {
    const r = rng('bn-dense');
    const model = chain([3, 3, 3], [
      layer('flatten', 'Flatten', []),
      layer('dense', 'Dense', [], { units: 5 }, { kernel: randomWeight(r, [27, 5]), bias: randomWeight(r, [5]) }),
      layer('bn', 'BatchNormalization', [], { momentum: 0.99 }, stats(r, 5)),
    ]);
    await expectOnnxMatchesReference(model);
  });
});
