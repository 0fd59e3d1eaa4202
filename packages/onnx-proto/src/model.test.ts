import { fromBinary } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { AttributeProto_AttributeType, ModelProtoSchema, TensorProto_DataType } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { attr } from './attr.js';
import { irVersionFor, serializeModel, type GraphParts } from './model.js';
import { nodeProto } from './node.js';
import { float32Tensor, int64Tensor } from './tensor.js';
import { valueInfo } from './value-info.js';

/**
 * y = LeakyRelu(Reshape(Transpose(x, [0, 2, 1]), [-1, 6]) + bias, alpha 0.5), x float32 [N, 2, 3]:
 * uses an INTS, a FLOAT attribute, an int64 and a float32 initializer and a dynamic batch.
 */
function smallGraph(): GraphParts {
  return {
    name: 'small',
    nodes: [
      nodeProto('Transpose', ['x'], ['xt'], { name: 'xt__Transpose', attributes: [attr.ints('perm', [0, 2, 1])] }),
      nodeProto('Reshape', ['xt', 'flat_shape'], ['flat'], { name: 'flat__Reshape' }),
      nodeProto('Add', ['flat', 'bias'], ['z'], { name: 'z__Add' }),
      nodeProto('LeakyRelu', ['z'], ['y'], { name: 'y__LeakyRelu', attributes: [attr.float('alpha', 0.5)] }),
    ],
    initializers: [int64Tensor('flat_shape', [-1, 6]), float32Tensor('bias', [6], [1, -1, 2, -2, 0.5, -0.5])],
    inputs: [valueInfo('x', ['N', 2, 3])],
    outputs: [valueInfo('y', ['N', 6])],
  };
}

describe('serializeModel', () => {
  it('decodes back with onnx-buf to the same graph, opset imports, IR version and metadata', () => {
    const bytes = serializeModel({
      graph: smallGraph(),
      opset: 17,
      domains: { 'com.microsoft.nchwc': 1, 'ai.example': 3 },
      producerName: 'cnnkit-test',
      producerVersion: '9.9.9',
      metadata: { classNames: '["cat","dog"]', note: 'é' },
    });
    const m = fromBinary(ModelProtoSchema, bytes);
    expect(m.irVersion).toBe(8n);
    expect(m.opsetImport.map((o) => [o.domain, o.version])).toEqual([
      ['', 17n],
      ['com.microsoft.nchwc', 1n],
      ['ai.example', 3n],
    ]);
    expect([m.producerName, m.producerVersion]).toEqual(['cnnkit-test', '9.9.9']);
    expect(m.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['classNames', '["cat","dog"]'],
      ['note', 'é'],
    ]);
    const g = m.graph!;
    expect(g.name).toBe('small');
    expect(g.node.map((n) => [n.opType, n.name, n.input, n.output])).toEqual([
      ['Transpose', 'xt__Transpose', ['x'], ['xt']],
      ['Reshape', 'flat__Reshape', ['xt', 'flat_shape'], ['flat']],
      ['Add', 'z__Add', ['flat', 'bias'], ['z']],
      ['LeakyRelu', 'y__LeakyRelu', ['z'], ['y']],
    ]);
    expect(g.node[0].attribute.map((a) => [a.name, a.type, a.ints])).toEqual([['perm', AttributeProto_AttributeType.INTS, [0n, 2n, 1n]]]);
    expect(g.node[3].attribute[0].f).toBe(0.5);
    const [shape, bias] = g.initializer;
    expect([shape.name, shape.dataType, shape.dims]).toEqual(['flat_shape', TensorProto_DataType.INT64, [2n]]);
    expect(Array.from(new BigInt64Array(shape.rawData.slice().buffer))).toEqual([-1n, 6n]);
    expect([bias.name, bias.dataType, bias.dims]).toEqual(['bias', TensorProto_DataType.FLOAT, [6n]]);
    expect(Array.from(new Float32Array(bias.rawData.slice().buffer))).toEqual([1, -1, 2, -2, 0.5, -0.5]);
    expect(g.input.map((v) => v.name)).toEqual(['x']);
    expect(g.output.map((v) => v.name)).toEqual(['y']);
  });

  it('IR version defaults to the lowest that carries the opset; an explicit one wins', () => {
    const base = { graph: smallGraph(), producerName: 'p', producerVersion: '0' };
    for (const [opset, ir] of [[13, 7], [14, 7], [15, 8], [18, 8], [19, 9], [20, 9], [21, 10]]) {
      expect(irVersionFor(opset)).toBe(ir);
      expect(fromBinary(ModelProtoSchema, serializeModel({ ...base, opset })).irVersion).toBe(BigInt(ir));
    }
    expect(fromBinary(ModelProtoSchema, serializeModel({ ...base, opset: 17, irVersion: 10 })).irVersion).toBe(10n);
    expect(fromBinary(ModelProtoSchema, serializeModel({ ...base, opset: 17 })).metadataProps).toEqual([]);
  });

  it('ONNX\'s own domain comes from opset, not from domains', () => {
    expect(() => serializeModel({ graph: smallGraph(), opset: 17, domains: { '': 13 }, producerName: 'p', producerVersion: '0' })).toThrow(RangeError);
  });

  it('onnxruntime runs the file and computes what the graph says', async () => {
    const bytes = serializeModel({ graph: smallGraph(), opset: 17, producerName: 'cnnkit-test', producerVersion: '0' });
    const session = await ort.InferenceSession.create(bytes);
    // batch 2: x[n] = [[a, b, c], [d, e, f]] -> transposed and flattened [a, d, b, e, c, f]
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, -6, -5, -4, -3, -2, -1]);
    const { y } = await session.run({ x: new ort.Tensor('float32', x, [2, 2, 3]) });
    await session.release();
    const bias = [1, -1, 2, -2, 0.5, -0.5];
    const want: number[] = [];
    for (let n = 0; n < 2; n++) {
      const flat = [0, 3, 1, 4, 2, 5].map((i) => x[n * 6 + i]);
      flat.forEach((v, i) => {
        const z = v + bias[i];
        want.push(z >= 0 ? z : 0.5 * z);
      });
    }
    expect(y.dims).toEqual([2, 6]);
    expect(Array.from(y.data as Float32Array)).toEqual(want);
  });
});
