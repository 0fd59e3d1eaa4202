import { create } from '@bufbuild/protobuf';
import { TensorProto_DataType, TensorProtoSchema, type TensorProto } from 'onnx-buf';
import { float32Bytes, int64Bytes } from './bytes.js';

/**
 * A float32 tensor (an initializer or a Constant's value) of `shape`, stored as
 * little-endian `raw_data`. `shape` `[]` is a scalar. Throws a RangeError when the
 * number of values does not match the shape.
 *
 * @example
 * float32Tensor('conv_kernel', [8, 3, 3, 3], oihwValues);
 * float32Tensor('half', [], [0.5]);
 */
export function float32Tensor(name: string, shape: readonly number[], values: ArrayLike<number>): TensorProto {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) {
    throw new RangeError(`float32Tensor: "${name}" expected ${count} values for shape [${shape.join(', ')}], received ${values.length}`);
  }
  return create(TensorProtoSchema, { name, dataType: TensorProto_DataType.FLOAT, dims: shape.map(BigInt), rawData: float32Bytes(values) });
}

/**
 * A 1-D int64 tensor (the shape of a Reshape, the axes of a ReduceMean, pads...).
 *
 * @example
 * int64Tensor('flat_shape', [-1, 512]);
 */
export function int64Tensor(name: string, values: readonly number[]): TensorProto {
  return create(TensorProtoSchema, { name, dataType: TensorProto_DataType.INT64, dims: [BigInt(values.length)], rawData: int64Bytes(values) });
}
