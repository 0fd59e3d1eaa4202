/**
 * The exporter writes TF "same" padding as explicit `pads` computed from the
 * static size. ONNX's auto_pad SAME_UPPER should mean the same thing; this runs
 * both forms in onnxruntime and requires identical outputs, including the
 * asymmetric cases (even size with stride 2, kernel 4).
 */
import { toBinary } from '@bufbuild/protobuf';
import { attr } from '@cnnkit/onnx-proto';
import * as ort from 'onnxruntime-node';
import { ModelProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { chain, layer, randomWeight, rng } from './test-utils/harness.js';
import { readModelProto } from './test-utils/read-model.js';

async function run(bytes: Uint8Array, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ image: new ort.Tensor('float32', input, shape) });
  await session.release();
  return out.probabilities.data as Float32Array;
}

function withSameUpper(bytes: Uint8Array, opType: string): Uint8Array {
  const proto = readModelProto(bytes);
  const node = proto.graph!.node.find((n) => n.opType === opType)!;
  node.attribute = [...node.attribute.filter((a) => a.name !== 'pads'), attr.string('auto_pad', 'SAME_UPPER')];
  return toBinary(ModelProtoSchema, proto);
}

describe('explicit same pads == auto_pad SAME_UPPER', () => {
  const cases: [string, number, number, number][] = [
    ['Conv', 8, 3, 2],
    ['Conv', 9, 3, 2],
    ['Conv', 8, 4, 2],
    ['Conv', 7, 5, 3],
    ['MaxPool', 8, 3, 2],
    ['MaxPool', 9, 2, 2],
  ];
  it.each(cases)('%s on size %i, kernel %i, stride %i', async (op, size, k, s) => {
    const r = rng(`same-upper-${op}-${size}-${k}-${s}`);
    const body =
      op === 'Conv'
        ? layer('l', 'Conv2D', [], { filters: 2, kernelSize: k, strides: s, padding: 'same' }, { kernel: randomWeight(r, [k, k, 3, 2]), bias: randomWeight(r, [2]) })
        : layer('l', 'MaxPooling2D', [], { poolSize: k, strides: s, padding: 'same' });
    const model = chain([size, size, 3], [body]);
    model.layers[1].config = { scale: 2 / 255, offset: -1 };
    const bytes = exportOnnx(model);
    const shape = [2, size, size, 3];
    const input = r.fillUniform(new Float32Array(2 * size * size * 3), 0, 255);
    const explicit = await run(bytes, input, shape);
    const auto = await run(withSameUpper(bytes, op), input, shape);
    expect(explicit.length).toBe(auto.length);
    expect(Array.from(explicit)).toEqual(Array.from(auto));
    // And SAME_LOWER would differ in the asymmetric cases, so the comparison has teeth.
    if ((Math.ceil(size / s) - 1) * s + k - size > 0 && ((Math.ceil(size / s) - 1) * s + k - size) % 2 === 1) {
      const lower = readModelProto(withSameUpper(bytes, op));
      const node = lower.graph!.node.find((n) => n.opType === op)!;
      node.attribute = [...node.attribute.filter((a) => a.name !== 'auto_pad'), attr.string('auto_pad', 'SAME_LOWER')];
      const other = await run(toBinary(ModelProtoSchema, lower), input, shape);
      expect(Array.from(other)).not.toEqual(Array.from(explicit));
    }
  });
});
