import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { exportOnnx } from './export-onnx.js';
import { chain, expectOnnxMatchesReference, layer, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

describe('UpSampling2D -> Resize', () => {
  const cases: [string, [number, number], Record<string, unknown>][] = [
    ['nearest 2x2 (default)', [4, 5], {}],
    ['nearest (3, 2)', [3, 4], { size: [3, 2] }],
    ['bilinear 2x2 (half-pixel)', [4, 5], { interpolation: 'bilinear' }],
    ['bilinear (3, 2)', [3, 4], { size: [3, 2], interpolation: 'bilinear' }],
  ];
  it.each(cases)('%s matches tf.image resize within 1e-4', async (_label, size, config) => {
    await expectOnnxMatchesReference(chain([size[0], size[1], 3], [layer('up', 'UpSampling2D', [], config)]));
  });

  it('nearest repeats each pixel (literal values)', async () => {
    const model = { inputShape: [2, 2, 1] as [number, number, number], layers: [layer('input', 'InputLayer', []), layer('up', 'UpSampling2D', ['input'], { size: 2 })], outputs: ['up'], classNames: [] };
    const session = await ort.InferenceSession.create(exportOnnx(model));
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array([1, 2, 3, 4]), [1, 2, 2, 1]) });
    expect(Array.from(out.probabilities.data as Float32Array)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    await session.release();
  });
});
