import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

/** [-3, 3] inputs through a 1x1 conv (NCHW), then the activation layer under test. */
function model(className: string, config: Record<string, unknown> = {}) {
  const r = rng(`act-layer-${className}-${JSON.stringify(config)}`);
  const m = chain([5, 4, 3], [
    layer('conv', 'Conv2D', [], { filters: 3, kernelSize: 1 }, { kernel: randomWeight(r, [1, 1, 3, 3], 1), bias: randomWeight(r, [3]) }),
    layer('act', className, [], config),
  ]);
  m.layers[1].config = { scale: 6 / 255, offset: -3 };
  return m;
}

describe('standalone activation layers', () => {
  it.each([
    ['ReLU', {}],
    ['ReLU', { maxValue: 1.5 }],
    ['ReLU', { negativeSlope: 0.1, maxValue: 2 }],
    ['LeakyReLU', {}],
    ['LeakyReLU', { negativeSlope: 0.05 }],
    ['ELU', {}],
    ['ELU', { alpha: 0.5 }],
    ['Softmax', {}],
  ] as [string, Record<string, unknown>][])('%s %j matches tfjs within 1e-4', async (className, config) => {
    await expectOnnxMatchesReference(model(className, config));
  });

  it('LeakyReLU layer defaults to Keras 3 slope 0.3 (not the activation function default 0.2)', async () => {
    const bytes = exportOnnx(model('LeakyReLU'));
    const { readModelProto } = await import('./test-utils/read-model.js');
    const node = readModelProto(bytes).graph!.node.find((n) => n.opType === 'LeakyRelu')!;
    expect(node.attribute.find((a) => a.name === 'alpha')!.f).toBeCloseTo(0.3, 6);
  });

  it('refuses ReLU threshold and Softmax on a non-channel axis by name', () => {
    expect(() => exportOnnx(model('ReLU', { threshold: 0.5 }))).toThrow('ONNX export of layer "act" (ReLU): expected threshold 0, received 0.5');
    expect(() => exportOnnx(model('Softmax', { axis: 1 }))).toThrow('ONNX export of layer "act" (Softmax): expected axis -1 (or 3), received 1');
  });
});
