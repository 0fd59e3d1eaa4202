import { describe, expect, it } from 'vitest';
import { float32Bytes, int64Bytes } from './bytes.js';

// Expected bytes worked out by hand from the IEEE 754 and two's-complement encodings, least significant byte first.
describe('float32Bytes: IEEE 754 single, little-endian', () => {
  it.each([
    { value: 1, bytes: [0x00, 0x00, 0x80, 0x3f] }, // 0x3f800000
    { value: -2, bytes: [0x00, 0x00, 0x00, 0xc0] }, // 0xc0000000
    { value: 0.5, bytes: [0x00, 0x00, 0x00, 0x3f] }, // 0x3f000000
    { value: 0.1, bytes: [0xcd, 0xcc, 0xcc, 0x3d] }, // 0x3dcccccd (rounded to float32)
    { value: -0, bytes: [0x00, 0x00, 0x00, 0x80] }, // sign bit only
    { value: Infinity, bytes: [0x00, 0x00, 0x80, 0x7f] },
    { value: 255, bytes: [0x00, 0x00, 0x7f, 0x43] }, // 0x437f0000
  ])('$value', ({ value, bytes }) => {
    expect(Array.from(float32Bytes([value]))).toEqual(bytes);
  });

  it('concatenates values in order, from a Float32Array or a plain array', () => {
    const want = [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0];
    expect(Array.from(float32Bytes(Float32Array.of(1, -2)))).toEqual(want);
    expect(Array.from(float32Bytes([1, -2]))).toEqual(want);
    expect(float32Bytes([]).length).toBe(0);
  });
});

describe('int64Bytes: two\'s complement, little-endian', () => {
  it.each([
    { value: 0, bytes: [0, 0, 0, 0, 0, 0, 0, 0] },
    { value: 1, bytes: [1, 0, 0, 0, 0, 0, 0, 0] },
    { value: 258, bytes: [0x02, 0x01, 0, 0, 0, 0, 0, 0] },
    { value: -1, bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] },
    { value: -2, bytes: [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] },
    { value: 2 ** 40, bytes: [0, 0, 0, 0, 0, 1, 0, 0] },
    { value: Number.MAX_SAFE_INTEGER, bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x00] },
  ])('$value', ({ value, bytes }) => {
    expect(Array.from(int64Bytes([value]))).toEqual(bytes);
  });

  it('concatenates values in order and rejects a non-integer', () => {
    expect(Array.from(int64Bytes([-1, 2]))).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => int64Bytes([1.5])).toThrow(RangeError);
  });
});
