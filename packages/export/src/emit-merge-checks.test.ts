import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import type { ExportModel } from './export-model.js';
import { expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

// Add and Concatenate: the configurations Keras refuses, each named with the layer
// and the shapes, and a Concatenate of inputs that are all still NHWC.

function model(merge: ReturnType<typeof layer>, extra: ReturnType<typeof layer>[] = []): ExportModel {
  return {
    inputShape: [5, 6, 3],
    layers: [layer('input', 'InputLayer', []), layer('rescaling', 'Rescaling', ['input'], { scale: 1 / 255 }), layer('shifted', 'Rescaling', ['input'], { scale: 1 / 128, offset: -1 }), ...extra, merge],
    outputs: [merge.name],
    classNames: [],
  };
}
const conv = (name: string, filters: number) => {
  const r = rng(`merge-checks-${name}`);
  return layer(name, 'Conv2D', ['rescaling'], { filters, kernelSize: 3, padding: 'same' }, { kernel: randomWeight(r, [3, 3, 3, filters]), bias: randomWeight(r, [filters]) });
};

describe('Add and Concatenate refuse what Keras refuses', () => {
  it.each([
    ['Add of one input', model(layer('merge', 'Add', ['rescaling'])), 'ONNX export of layer "merge" (Add): expected at least 2 inputs, received 1'],
    [
      'Concatenate of inputs of two ranks',
      model(layer('merge', 'Concatenate', ['rescaling', 'gap']), [layer('gap', 'GlobalAveragePooling2D', ['rescaling'])]),
      'ONNX export of layer "merge" (Concatenate): expected inputs of one rank, received [N, 5, 6, 3], [N, 3]',
    ],
    ...[0, 4, -4, 1.5].map((axis) => [
      `Concatenate on axis ${axis}`,
      model(layer('merge', 'Concatenate', ['rescaling', 'shifted'], { axis })),
      `ONNX export of layer "merge" (Concatenate): expected a non-batch axis in [1, 3] or [-3, -1], received ${axis}`,
    ] as const),
    [
      'Concatenate of inputs that differ off the axis',
      model(layer('merge', 'Concatenate', ['a', 'b'], { axis: 1 }), [conv('a', 3), conv('b', 2)]),
      'ONNX export of layer "merge" (Concatenate): expected inputs equal except on axis 1, received [N, 5, 6, 3], [N, 5, 6, 2]',
    ],
  ] as const)('%s', (_what, m, message) => {
    expect(() => exportOnnx(m)).toThrow(message);
  });
});

describe('merges of NHWC inputs (no convolution before them)', () => {
  it.each([[-1], [1], [2], [3]])('Concatenate on Keras axis %i matches the reference', async (axis) => {
    await expectOnnxMatchesReference(model(layer('merge', 'Concatenate', ['rescaling', 'shifted'], { axis })));
  });
  it('Add of three NHWC inputs matches the reference', async () => {
    await expectOnnxMatchesReference(model(layer('merge', 'Add', ['rescaling', 'shifted', 'rescaling'])));
  });
});
