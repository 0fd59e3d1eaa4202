/**
 * float32 values as little-endian bytes, whatever the host's byte order, as ONNX
 * `TensorProto.raw_data` requires.
 *
 * @example
 * float32Bytes([1]); // Uint8Array [0x00, 0x00, 0x80, 0x3f]
 */
export function float32Bytes(values: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

/**
 * Integers as little-endian two's-complement int64 bytes (ONNX `raw_data` of an
 * INT64 tensor). Throws a RangeError for a value that is not an integer.
 *
 * @example
 * int64Bytes([-1]); // Uint8Array [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
 */
export function int64Bytes(values: readonly number[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]), true);
  return out;
}
