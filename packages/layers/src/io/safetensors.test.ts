import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

describe('safetensors', () => {
  const tensors = new Map([
    ['conv2d/kernel', { shape: [1, 1, 2, 1], data: new Float32Array([1.5, -2]) }],
    ['conv2d/bias', { shape: [1], data: new Float32Array([0.25]) }],
  ]);

  it('writes the standard layout: u64 LE header length, padded JSON header, F32 LE data', () => {
    const bytes = encodeSafetensors(tensors, { epoch: '3' });
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      __metadata__: { epoch: '3' },
      'conv2d/kernel': { dtype: 'F32', shape: [1, 1, 2, 1], data_offsets: [0, 8] },
      'conv2d/bias': { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    });
    expect(bytes.length).toBe(8 + n + 12);
    // 1.5 as float32 little-endian is 00 00 c0 3f.
    expect(Array.from(bytes.subarray(8 + n, 8 + n + 4))).toEqual([0x00, 0x00, 0xc0, 0x3f]);
    const back = decodeSafetensors(bytes, 'w.safetensors');
    expect(back.metadata).toEqual({ epoch: '3' });
    expect(Array.from(back.tensors.get('conv2d/kernel')!.data)).toEqual([1.5, -2]);
    expect(back.tensors.get('conv2d/bias')!.shape).toEqual([1]);
  });

  it('rejects malformed and truncated files naming the file and the problem', () => {
    const good = encodeSafetensors(tensors);
    const n = Number(new DataView(good.buffer).getBigUint64(0, true));
    const withHeader = (header: string) => {
      const h = new TextEncoder().encode(header);
      const out = new Uint8Array(8 + h.length + 12);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      return out;
    };
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 5), /w.st: expected at least 8 bytes/],
      [good.subarray(0, 8 + n - 3), /w.st: header length \d+ runs past the end of the file/],
      [good.subarray(0, good.length - 4), /w.st: tensor "conv2d\/bias": data_offsets \[8, 12\] out of range: the data section has 8 bytes \(truncated file\?\)/],
      [withHeader('{"a": '), /w.st: bad JSON header/],
      [withHeader('[1]'), /w.st: expected the header to be a JSON object/],
      [withHeader('{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}'), /tensor "a": expected dtype "F32", received "F16"/],
      [withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}'), /tensor "a": shape \[2\] needs 8 bytes, data_offsets give 4/],
      [withHeader('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}'), /tensor "a": expected shape to be a list of non-negative integers/],
      [withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'), /tensors "a" and "b" overlap/],
      [withHeader('{"__metadata__":{"x":1}}'), /expected "__metadata__" to map strings to strings/],
    ];
    for (const [bytes, message] of cases) expect(() => decodeSafetensors(bytes, 'w.st')).toThrow(message);
  });
});
