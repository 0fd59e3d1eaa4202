import { beforeAll, describe, expect, it } from 'vitest';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

/** Conv2D (+ Flatten + Dense so the NHWC flatten order is on the path) versus tf.conv2d. */
function convModel(size: [number, number], config: Record<string, unknown>, seed: string) {
  const r = rng(seed);
  const k = (config.kernelSize as number) ?? 3;
  const filters = 4;
  return chain([size[0], size[1], 3], [
    layer('conv', 'Conv2D', [], { filters, kernelSize: k, activation: 'relu', ...config }, {
      kernel: randomWeight(r, [k, k, 3, filters]),
      bias: randomWeight(r, [filters], 0.1),
    }),
  ]);
}

describe('Conv2D -> Conv', () => {
  const cases: [string, [number, number], Record<string, unknown>][] = [
    ['valid stride 1', [7, 7], { padding: 'valid' }],
    ['same stride 1', [7, 6], { padding: 'same' }],
    ['same stride 2 even size (pads 0 before, 1 after)', [8, 8], { padding: 'same', strides: 2 }],
    ['same stride 2 odd size', [9, 7], { padding: 'same', strides: 2 }],
    ['valid stride 2 odd size', [9, 9], { padding: 'valid', strides: 2 }],
    ['same dilation 2', [9, 8], { padding: 'same', dilationRate: 2 }],
    ['valid dilation 2', [9, 9], { padding: 'valid', dilationRate: 2 }],
    ['same 5x5 kernel stride 3', [10, 11], { padding: 'same', strides: 3, kernelSize: 5 }],
    ['no bias, linear', [6, 6], { padding: 'same', useBias: false, activation: 'linear' }],
  ];
  it.each(cases)('%s matches tf.conv2d within 1e-4 (N = 1, 3)', async (_label, size, config) => {
    const model = convModel(size, config, `conv-${_label}`);
    if (config.useBias === false) delete model.layers[2].weights.bias;
    await expectOnnxMatchesReference(model);
  });

  it('groups 3 (grouped convolution) matches per-group tf.conv2d', async () => {
    const r = rng('conv-groups');
    const model = chain([6, 6, 3], [
      layer('conv', 'Conv2D', [], { filters: 6, kernelSize: 3, groups: 3, padding: 'same' }, { kernel: randomWeight(r, [3, 3, 1, 6]), bias: randomWeight(r, [6]) }),
    ]);
    await expectOnnxMatchesReference(model);
  });

  it('Flatten after a conv flattens in NHWC order (Dense reads it)', async () => {
    const r = rng('conv-flatten');
    const model = chain([5, 6, 3], [
      layer('conv', 'Conv2D', [], { filters: 4, kernelSize: 3, padding: 'same' }, { kernel: randomWeight(r, [3, 3, 3, 4]), bias: randomWeight(r, [4]) }),
      layer('flatten', 'Flatten', []),
      layer('dense', 'Dense', [], { units: 3, activation: 'softmax' }, { kernel: randomWeight(r, [5 * 6 * 4, 3]), bias: randomWeight(r, [3]) }),
    ], ['a', 'b', 'c']);
    await expectOnnxMatchesReference(model);
  });

  it('rejects a kernel of the wrong shape, naming layer, weight and both shapes', async () => {
    const r = rng('bad');
    const model = chain([6, 6, 3], [layer('conv_bad', 'Conv2D', [], { filters: 4, kernelSize: 3 }, { kernel: randomWeight(r, [3, 3, 4, 4]), bias: randomWeight(r, [4]) })]);
    const { exportOnnx } = await import('./export-onnx.js');
    expect(() => exportOnnx(model)).toThrow(/layer "conv_bad" \(Conv2D\): weight "kernel" expected shape \[3, 3, 3, 4\].*received shape \[3, 3, 4, 4\]/);
  });
});
