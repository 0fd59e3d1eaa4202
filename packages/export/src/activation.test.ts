import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS } from './activation.js';
import { exportOnnx } from './export-onnx.js';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

/** Pixels rescaled to [-3, 3] so every activation sees both signs, then a conv keeps the tensor NCHW. */
function activationModel(activation: string, extra: Record<string, unknown> = {}) {
  const r = rng(`act-${activation}`);
  const model = chain([5, 4, 3], [
    layer('conv', 'Conv2D', [], { filters: 3, kernelSize: 1 }, { kernel: randomWeight(r, [1, 1, 3, 3], 1), bias: randomWeight(r, [3]) }),
    layer('act', 'Activation', [], { activation, ...extra }),
  ]);
  model.layers[1].config = { scale: 6 / 255, offset: -3 };
  return model;
}

describe('activations', () => {
  it.each(ACTIVATIONS.map((a) => [a]))('Activation(%s) on an NCHW tensor matches tfjs within 1e-4', async (activation) => {
    await expectOnnxMatchesReference(activationModel(activation));
  });

  it('softmax on a 4-D tensor normalises over channels (axis 1 in NCHW)', async () => {
    const result = await expectOnnxMatchesReference(activationModel('softmax'));
    expect(result.perInput[0].outputShape).toEqual([1, 5, 4, 3]);
  });

  it('leaky_relu uses Keras 3 slope 0.2 by default and config.negativeSlope when given', async () => {
    await expectOnnxMatchesReference(activationModel('leaky_relu'));
    await expectOnnxMatchesReference(activationModel('leaky_relu', { negativeSlope: 0.05 }));
  });

  it('gelu is the exact erf form: Erf nodes below opset 20, the Gelu op from 20', async () => {
    await expectOnnxMatchesReference(activationModel('gelu'), { opset: 17 });
    await expectOnnxMatchesReference(activationModel('gelu'), { opset: 20 });
    const text17 = new TextDecoder('latin1').decode(exportOnnx(activationModel('gelu'), { opset: 17 }));
    const text20 = new TextDecoder('latin1').decode(exportOnnx(activationModel('gelu'), { opset: 20 }));
    expect(text17).toContain('Erf');
    expect(text17).not.toContain('Gelu\u0012');
    expect(text20).toContain('Gelu');
    expect(text20).not.toContain('Erf');
  });

  it('fused activations on Conv2D and Dense (swish, softmax head)', async () => {
    const r = rng('fused');
    const model = chain([4, 4, 3], [
      layer('conv', 'Conv2D', [], { filters: 2, kernelSize: 3, activation: 'swish' }, { kernel: randomWeight(r, [3, 3, 3, 2]), bias: randomWeight(r, [2]) }),
      layer('flatten', 'Flatten', []),
      layer('dense', 'Dense', [], { units: 3, activation: 'softmax' }, { kernel: randomWeight(r, [8, 3]), bias: randomWeight(r, [3]) }),
    ], ['a', 'b', 'c']);
    await expectOnnxMatchesReference(model);
  });

  it('an unknown activation is EXPORT_UNSUPPORTED naming the layer and the supported ones', () => {
    expect(() => exportOnnx(activationModel('mish'))).toThrow(/layer "act" \(Activation\): activation expected one of linear, relu.*received "mish"/);
  });
});
