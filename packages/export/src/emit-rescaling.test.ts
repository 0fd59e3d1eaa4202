import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { readModelProto } from './test-utils/read-model.js';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

describe('Rescaling -> Mul + Add inside the graph', () => {
  it('scale and offset (1/127.5, -1)', async () => {
    const model = chain([3, 4, 3], []);
    model.layers[1].config = { scale: 1 / 127.5, offset: -1 };
    await expectOnnxMatchesReference(model);
    expect(readModelProto(exportOnnx(model)).graph!.node.map((n) => n.opType)).toEqual(['Mul', 'Add']);
  });
  it('per-channel scale and offset on an NCHW tensor (between two convs) broadcast over channels', async () => {
    const r = rng('rescale-channels');
    const model = chain([4, 5, 3], [
      layer('conv1', 'Conv2D', [], { filters: 3, kernelSize: 1 }, { kernel: randomWeight(r, [1, 1, 3, 3]), bias: randomWeight(r, [3]) }),
      layer('rescale2', 'Rescaling', [], { scale: [0.5, 1, 2], offset: [0.1, -0.2, 0.3] }),
      layer('conv2', 'Conv2D', [], { filters: 2, kernelSize: 3 }, { kernel: randomWeight(r, [3, 3, 3, 2]), bias: randomWeight(r, [2]) }),
    ]);
    await expectOnnxMatchesReference(model);
  });
  it('per-channel factors on the NHWC input', async () => {
    const model = chain([4, 4, 3], [layer('rescale2', 'Rescaling', [], { scale: [0.5, 1, 2], offset: [0.1, -0.2, 0.3] })]);
    await expectOnnxMatchesReference(model);
  });
  it('a per-channel factor of the wrong length names the layer', () => {
    const model = chain([4, 4, 3], [layer('rescale2', 'Rescaling', [], { scale: [0.5, 1] })]);
    expect(() => exportOnnx(model)).toThrow(/layer "rescale2" \(Rescaling\): config.scale expected a finite number or 3 of them/);
  });
});
