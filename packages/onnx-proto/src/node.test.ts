import { fromBinary, isFieldSet, toBinary } from '@bufbuild/protobuf';
import { NodeProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { attr } from './attr.js';
import { nodeProto } from './node.js';

describe('nodeProto', () => {
  it('op, inputs, outputs, name and attributes as given', () => {
    const n = nodeProto('Conv', ['x', 'w', 'b'], ['y'], { name: 'y__Conv', attributes: [attr.int('group', 1)] });
    expect(n.opType).toBe('Conv');
    expect(n.input).toEqual(['x', 'w', 'b']);
    expect(n.output).toEqual(['y']);
    expect(n.name).toBe('y__Conv');
    expect(n.attribute.map((a) => a.name)).toEqual(['group']);
  });
  it('ONNX\'s own domain is left unset; another domain is written', () => {
    const own = nodeProto('Relu', ['x'], ['y'], { domain: '' });
    expect(isFieldSet(own, NodeProtoSchema.field.domain)).toBe(false);
    expect(toBinary(NodeProtoSchema, own)).toEqual(toBinary(NodeProtoSchema, nodeProto('Relu', ['x'], ['y'])));
    const other = nodeProto('ReorderInput', ['x'], ['xc'], { domain: 'com.microsoft.nchwc' });
    expect(isFieldSet(other, NodeProtoSchema.field.domain)).toBe(true);
    expect(fromBinary(NodeProtoSchema, toBinary(NodeProtoSchema, other)).domain).toBe('com.microsoft.nchwc');
  });
  it('several outputs (MaxPool with Indices)', () => {
    expect(nodeProto('MaxPool', ['x'], ['y', 'i']).output).toEqual(['y', 'i']);
  });
  it('copies the arrays it is given', () => {
    const inputs = ['x'];
    const n = nodeProto('Relu', inputs, ['y']);
    inputs.push('z');
    expect(n.input).toEqual(['x']);
  });
});
