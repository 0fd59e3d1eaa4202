import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import type { ExportModel } from './export-model.js';
import { expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

// Emitter refusals that had no test (each names the layer, what it expected and what
// came in), and the per-channel / keepdims paths checked against the Keras reference.

const r = rng('emit-layer-checks');
function model(last: ReturnType<typeof layer>[], inputShape: [number, number, number] = [5, 6, 4]): ExportModel {
  return {
    inputShape,
    layers: [layer('input', 'InputLayer', []), layer('rescaling', 'Rescaling', ['input'], { scale: 1 / 255 }), ...last],
    outputs: [last[last.length - 1].name],
    classNames: [],
  };
}

describe('emitter refusals', () => {
  it.each([
    [
      'Conv2D groups that do not divide the input channels',
      model([layer('conv', 'Conv2D', ['rescaling'], { filters: 6, kernelSize: 3, groups: 3 }, { kernel: randomWeight(r, [3, 3, 1, 6]), bias: randomWeight(r, [6]) })]),
      'ONNX export of layer "conv" (Conv2D): groups 3 expected to divide input channels 4 and filters 6',
    ],
    [
      'Conv2D groups that do not divide the filters',
      model([layer('conv', 'Conv2D', ['rescaling'], { filters: 3, kernelSize: 3, groups: 2 }, { kernel: randomWeight(r, [3, 3, 2, 3]), bias: randomWeight(r, [3]) })]),
      'ONNX export of layer "conv" (Conv2D): groups 2 expected to divide input channels 4 and filters 3',
    ],
    ...[[1, 2, 3], [-1, 0], [0.5, 1], 'same'].map((outputPadding) => [
      `Conv2DTranspose outputPadding ${JSON.stringify(outputPadding)}`,
      model([layer('up', 'Conv2DTranspose', ['rescaling'], { filters: 2, kernelSize: 3, strides: 2, outputPadding }, { kernel: randomWeight(r, [3, 3, 2, 4]), bias: randomWeight(r, [2]) })]),
      `ONNX export of layer "up" (Conv2DTranspose): config.outputPadding expected null, a non-negative integer or a pair of them, received ${JSON.stringify(outputPadding)}`,
    ] as const),
    [
      'Conv2DTranspose outputPadding not below the stride',
      model([layer('up', 'Conv2DTranspose', ['rescaling'], { filters: 2, kernelSize: 3, strides: 2, outputPadding: [1, 2] }, { kernel: randomWeight(r, [3, 3, 2, 4]), bias: randomWeight(r, [2]) })]),
      'ONNX export of layer "up" (Conv2DTranspose): config.outputPadding expected each value below the stride [2, 2], received [1, 2]',
    ],
    ...[1, 2, -2].map((axis) => [
      `BatchNormalization on axis ${axis}`,
      model([layer('bn', 'BatchNormalization', ['rescaling'], { axis }, { gamma: randomWeight(r, [4]), beta: randomWeight(r, [4]), movingMean: randomWeight(r, [4]), movingVariance: randomWeight(r, [4]) })]),
      `ONNX export of layer "bn" (BatchNormalization): expected axis -1 (channels last) on a 2-D or 4-D input, received axis ${axis} on input shape [N, 5, 6, 4]`,
    ] as const),
    ...[[1, 2, 3], [1, 2, 3, 'x'], Number.NaN, 'half'].map((scale) => [
      `Rescaling scale ${JSON.stringify(scale)}`,
      model([layer('rescale', 'Rescaling', ['rescaling'], { scale })]),
      `ONNX export of layer "rescale" (Rescaling): config.scale expected a finite number or 4 of them (one per channel), received ${JSON.stringify(scale)}`,
    ] as const),
  ] as const)('refuses %s', (_what, m, message) => {
    expect(() => exportOnnx(m)).toThrow(message);
  });
});

describe('per-channel and keepdims paths against the Keras reference', () => {
  it('Rescaling with per-channel scale and offset, on NHWC and after a convolution (NCHW)', async () => {
    await expectOnnxMatchesReference(model([layer('rescale', 'Rescaling', ['rescaling'], { scale: [1, 2, 0.5, -1], offset: [0, 0.1, -0.2, 0.3] })]));
    const conv = layer('conv', 'Conv2D', ['rescaling'], { filters: 3, kernelSize: 3, padding: 'same' }, { kernel: randomWeight(r, [3, 3, 4, 3]), bias: randomWeight(r, [3]) });
    await expectOnnxMatchesReference(model([conv, layer('rescale', 'Rescaling', ['conv'], { scale: [2, -1, 0.5], offset: 0.25 })]));
  });
  it.each([['GlobalAveragePooling2D'], ['GlobalMaxPooling2D']])('%s with keepdims, followed by a layer that reads its shape', async (className) => {
    await expectOnnxMatchesReference(model([layer('pool', className, ['rescaling'], { keepdims: true }), layer('flat', 'Flatten', ['pool'])]));
  });
});
