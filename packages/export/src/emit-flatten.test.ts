import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { exportOnnx } from './export-onnx.js';
import { layer } from './test-utils/harness.js';

describe('Flatten', () => {
  it('flattens in NHWC order after an NCHW layer (literal values)', async () => {
    // Input 2x2x2 with value = its NHWC index; a 1x1 max-pool forces the NCHW path.
    const model = {
      inputShape: [2, 2, 2] as [number, number, number],
      layers: [
        layer('input', 'InputLayer', []),
        layer('pool', 'MaxPooling2D', ['input'], { poolSize: 1 }),
        layer('flatten', 'Flatten', ['pool']),
      ],
      outputs: ['flatten'],
      classNames: [],
    };
    const session = await ort.InferenceSession.create(exportOnnx(model));
    const x = Float32Array.from({ length: 8 }, (_, i) => i);
    const out = await session.run({ image: new ort.Tensor('float32', x, [1, 2, 2, 2]) });
    expect(Array.from(out.probabilities.data as Float32Array)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out.probabilities.dims).toEqual([1, 8]);
    await session.release();
  });
});
