import { create } from '@bufbuild/protobuf';
import {
  TensorProto_DataType,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type ValueInfoProto,
} from 'onnx-buf';

/**
 * A graph input or output: a tensor of `elemType` (float32 unless given) with one
 * entry per dimension, a number for a fixed size or a string for a named dynamic
 * one (ONNX `dim_param`, e.g. the batch `N`).
 *
 * @example
 * valueInfo('image', ['N', 180, 180, 3]);                    // float32 [N, 180, 180, 3]
 * valueInfo('labels', [32], TensorProto_DataType.INT64);    // int64 [32]
 */
export function valueInfo(
  name: string,
  dims: readonly (number | string)[],
  elemType: TensorProto_DataType = TensorProto_DataType.FLOAT,
): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType,
          shape: create(TensorShapeProtoSchema, {
            dim: dims.map((d) =>
              create(TensorShapeProto_DimensionSchema, {
                value: typeof d === 'string' ? { case: 'dimParam', value: d } : { case: 'dimValue', value: BigInt(d) },
              }),
            ),
          }),
        }),
      },
    }),
  });
}
