import { create } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, AttributeProtoSchema, type AttributeProto } from 'onnx-buf';

/**
 * Node attributes with their ONNX type stated: a JS number cannot tell an int
 * attribute (`group`) from a float one (`alpha`), and ONNX rejects the wrong one.
 *
 * @example
 * nodeProto('Conv', ['x', 'w'], ['y'], { attributes: [attr.ints('strides', [2, 2]), attr.int('group', 1)] });
 * nodeProto('LeakyRelu', ['x'], ['y'], { attributes: [attr.float('alpha', 0.3)] });
 */
export const attr = {
  /** An INT attribute; `i` must be an integer. */
  int(name: string, i: number): AttributeProto {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(i) });
  },
  /** An INTS attribute (kernel_shape, pads, perm...). */
  ints(name: string, ints: readonly number[]): AttributeProto {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: ints.map(BigInt) });
  },
  /** A FLOAT attribute (stored as float32). */
  float(name: string, f: number): AttributeProto {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f });
  },
  /** A STRING attribute, UTF-8 encoded. */
  string(name: string, s: string): AttributeProto {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode(s) });
  },
};
