import { TensorProto_DataType } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { valueInfo } from './value-info.js';

function dims(v: ReturnType<typeof valueInfo>): unknown[] {
  if (v.type?.value.case !== 'tensorType') throw new Error('not a tensor type');
  return v.type.value.value.shape!.dim.map((d) => d.value.value);
}

describe('valueInfo', () => {
  it('float32 by default; numbers are dim_value, strings dim_param', () => {
    const v = valueInfo('image', ['N', 32, 24, 3]);
    expect(v.name).toBe('image');
    expect(v.type?.value.case).toBe('tensorType');
    expect(v.type?.value.case === 'tensorType' && v.type.value.value.elemType).toBe(TensorProto_DataType.FLOAT);
    expect(dims(v)).toEqual(['N', 32n, 24n, 3n]);
    expect(v.type?.value.case === 'tensorType' && v.type.value.value.shape!.dim.map((d) => d.value.case)).toEqual(['dimParam', 'dimValue', 'dimValue', 'dimValue']);
  });
  it('another element type, and a scalar has no dims', () => {
    const v = valueInfo('step', [], TensorProto_DataType.INT64);
    expect(v.type?.value.case === 'tensorType' && v.type.value.value.elemType).toBe(TensorProto_DataType.INT64);
    expect(dims(v)).toEqual([]);
  });
});
