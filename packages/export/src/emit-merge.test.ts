import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import type { ExportModel } from './export-model.js';
import { expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

/** input -> rescaling -> two conv branches (NCHW) and the NHWC rescaled tensor -> merge. */
function branches(className: 'Add' | 'Concatenate', config: Record<string, unknown>, withNhwc: boolean): ExportModel {
  const r = rng(`merge-${className}-${JSON.stringify(config)}-${withNhwc}`);
  const conv = (name: string) =>
    layer(name, 'Conv2D', ['rescaling'], { filters: 3, kernelSize: 3, padding: 'same' }, { kernel: randomWeight(r, [3, 3, 3, 3]), bias: randomWeight(r, [3]) });
  return {
    inputShape: [5, 6, 3],
    layers: [
      layer('input', 'InputLayer', []),
      layer('rescaling', 'Rescaling', ['input'], { scale: 1 / 255 }),
      conv('a'),
      conv('b'),
      layer('merge', className, withNhwc ? ['a', 'rescaling', 'b'] : ['a', 'b'], config),
    ],
    outputs: ['merge'],
    classNames: [],
  };
}

describe('Add and Concatenate', () => {
  it('Add of two conv branches', async () => {
    await expectOnnxMatchesReference(branches('Add', {}, false));
  });
  it('Add of three inputs, one still NHWC (transposed to NCHW once)', async () => {
    await expectOnnxMatchesReference(branches('Add', {}, true));
  });
  it.each([[-1], [3], [1], [2]])('Concatenate on Keras axis %i', async (axis) => {
    await expectOnnxMatchesReference(branches('Concatenate', { axis }, true));
  });
  it('Add of mismatched shapes names the layer and the shapes', () => {
    const model = branches('Add', {}, false);
    model.layers[3].config = { filters: 2, kernelSize: 3, padding: 'same' };
    const r = rng('mismatch');
    model.layers[3].weights = { kernel: randomWeight(r, [3, 3, 3, 2]), bias: randomWeight(r, [2]) };
    expect(() => exportOnnx(model)).toThrow(/layer "merge" \(Add\): expected inputs of one shape, received \[N, 5, 6, 3\], \[N, 5, 6, 2\]/);
  });
});
