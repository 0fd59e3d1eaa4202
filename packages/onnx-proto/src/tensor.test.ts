import { TensorProto_DataType } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { float32Tensor, int64Tensor } from './tensor.js';

describe('float32Tensor', () => {
  it('FLOAT, dims as given, raw little-endian bytes', () => {
    const t = float32Tensor('w', [2, 1], [1, -2]);
    expect(t.name).toBe('w');
    expect(t.dataType).toBe(TensorProto_DataType.FLOAT);
    expect(t.dims).toEqual([2n, 1n]);
    expect(Array.from(t.rawData)).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    expect(t.floatData).toEqual([]);
  });
  it('shape [] is a scalar of one value', () => {
    const t = float32Tensor('c', [], [0.5]);
    expect(t.dims).toEqual([]);
    expect(Array.from(t.rawData)).toEqual([0x00, 0x00, 0x00, 0x3f]);
  });
  it.each([
    { shape: [2, 3], n: 5 },
    { shape: [], n: 0 },
    { shape: [0], n: 1 },
  ])('shape $shape with $n values is a RangeError naming the tensor', ({ shape, n }) => {
    expect(() => float32Tensor('k', shape, new Float32Array(n))).toThrow(
      new RangeError(`float32Tensor: "k" expected ${shape.reduce((a, b) => a * b, 1)} values for shape [${shape.join(', ')}], received ${n}`),
    );
  });
});

describe('int64Tensor', () => {
  it('1-D INT64 with raw little-endian bytes', () => {
    const t = int64Tensor('shape', [-1, 6]);
    expect(t.dataType).toBe(TensorProto_DataType.INT64);
    expect(t.dims).toEqual([2n]);
    expect(Array.from(t.rawData)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 6, 0, 0, 0, 0, 0, 0, 0]);
  });
});
