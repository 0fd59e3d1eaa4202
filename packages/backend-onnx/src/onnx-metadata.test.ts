import { describe, expect, it } from 'vitest';
import { readOnnxMetadata } from './onnx-metadata.js';

const utf8 = (s: string) => [...new TextEncoder().encode(s)];
/** A length-delimited field: tag, length, payload. */
const ld = (field: number, payload: number[]) => [(field << 3) | 2, payload.length, ...payload];

describe('readOnnxMetadata', () => {
  it('reads metadata_props (field 14) and skips every other wire type', () => {
    const bytes = new Uint8Array([
      0x08, 0x08, // ir_version = 8 (varint)
      ...ld(2, utf8('cnnkit')), // producer_name
      0x39, 1, 2, 3, 4, 5, 6, 7, 8, // field 7, 64-bit
      0x45, 1, 2, 3, 4, // field 8, 32-bit
      ...ld(14, [...ld(1, utf8('classNames')), ...ld(2, utf8('["cat","dog"]'))]),
      ...ld(14, [...ld(1, utf8('inputLayout')), ...ld(2, utf8('NHWC'))]),
    ]);
    expect([...readOnnxMetadata(bytes)]).toEqual([
      ['classNames', '["cat","dog"]'],
      ['inputLayout', 'NHWC'],
    ]);
  });
  it.each([
    ['truncated length', [0x72, 0x10, 0x0a], /field 14 runs past the end/],
    ['start group wire type', [0x0b], /unsupported wire type 3/],
    ['truncated varint', [0x08, 0x80], /truncated varint/],
  ])('rejects %s', (_, bytes, pattern) => {
    expect(() => readOnnxMetadata(new Uint8Array(bytes))).toThrow(pattern);
  });
});
