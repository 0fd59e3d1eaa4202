import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { readModelProto } from './test-utils/read-model.js';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';

beforeAll(useWasmReference);

const IDENTITY_CLASSES = ['Dropout', 'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast', 'RandomBrightness'];

describe('Dropout and augmentation layers are the identity at inference', () => {
  it('emit no node and leave the output unchanged', async () => {
    const r = rng('identity');
    const body = IDENTITY_CLASSES.map((c, i) => layer(`l${i}`, c, [], c === 'Dropout' ? { rate: 0.5 } : { factor: 0.2, seed: 7 }));
    const model = chain([4, 4, 3], [
      ...body,
      layer('flatten', 'Flatten', []),
      layer('dense', 'Dense', [], { units: 1, activation: 'sigmoid' }, { kernel: randomWeight(r, [48, 1]), bias: randomWeight(r, [1]) }),
    ], ['cat', 'dog']);
    await expectOnnxMatchesReference(model);
    const ops = readModelProto(exportOnnx(model)).graph!.node.map((n) => n.opType);
    expect(ops).toEqual(['Mul', 'Flatten', 'Gemm', 'Sigmoid']);
  });
});
