import { describe, expect, it } from 'vitest';
import { samePadding1d, transposeOutput1d, transposePads1d, validOutput1d, windowPads } from './padding.js';

describe('samePadding1d (TF "same")', () => {
  // [size, kernel, stride, dilation] -> [out, before, after], worked by hand from out = ceil(in/s).
  const table: [number, number, number, number, number, number, number][] = [
    [8, 3, 2, 1, 4, 0, 1], // even size, stride 2: the odd pixel goes after
    [9, 3, 2, 1, 5, 1, 1],
    [7, 3, 1, 1, 7, 1, 1],
    [64, 3, 2, 1, 32, 0, 1],
    [9, 3, 1, 2, 9, 2, 2], // dilation 2: effective kernel 5
    [10, 4, 3, 1, 4, 1, 2], // total 3: the odd one after
    [5, 1, 2, 1, 3, 0, 0],
  ];
  it.each(table)('size %i kernel %i stride %i dilation %i -> out %i, pads %i/%i', (size, k, s, d, out, before, after) => {
    expect(samePadding1d(size, k, s, d)).toEqual({ out, before, after });
  });

  it('agrees with ONNX auto_pad SAME_UPPER (extra pixel at the end)', () => {
    for (let size = 1; size <= 20; size++) {
      for (const [k, s, d] of [[1, 1, 1], [2, 2, 1], [3, 1, 1], [3, 2, 1], [3, 3, 2], [4, 2, 1], [5, 2, 1]]) {
        // ONNX: out = ceil(in / s); total = max(0, (out - 1) * s + ((k - 1) * d + 1) - in); head = floor(total / 2).
        const out = Math.ceil(size / s);
        const total = Math.max(0, (out - 1) * s + ((k - 1) * d + 1) - size);
        expect(samePadding1d(size, k, s, d)).toEqual({ out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) });
      }
    }
  });
});

describe('validOutput1d and windowPads', () => {
  it('valid: floor((in - k_eff) / s) + 1, no pads', () => {
    expect(validOutput1d(9, 3, 2, 1)).toBe(4);
    expect(validOutput1d(9, 3, 1, 2)).toBe(5);
    expect(windowPads('valid', [9, 8], [3, 3], [2, 2])).toEqual({ out: [4, 3], pads: [0, 0, 0, 0] });
  });
  it('same: pads are [top, left, bottom, right]', () => {
    expect(windowPads('same', [8, 9], [3, 3], [2, 2])).toEqual({ out: [4, 5], pads: [0, 1, 1, 1] });
  });
});

describe('Conv2DTranspose sizes', () => {
  it('follows Keras deconv_output_length', () => {
    expect(transposeOutput1d(4, 3, 2, 1, 'valid', null)).toBe(9);
    expect(transposeOutput1d(4, 3, 2, 1, 'same', null)).toBe(8);
    expect(transposeOutput1d(4, 1, 2, 1, 'valid', null)).toBe(8);
    expect(transposeOutput1d(4, 3, 2, 1, 'same', 1)).toBe(8);
  });
  it('crops TF-style and extends with output_padding when the kernel is smaller than the stride', () => {
    expect(transposePads1d(4, 9, 3, 2, 1, 'valid')).toEqual({ before: 0, after: 0, outputPadding: 0 });
    expect(transposePads1d(4, 8, 3, 2, 1, 'same')).toEqual({ before: 0, after: 1, outputPadding: 0 });
    expect(transposePads1d(4, 8, 4, 2, 1, 'same')).toEqual({ before: 1, after: 1, outputPadding: 0 });
    expect(transposePads1d(4, 8, 1, 2, 1, 'valid')).toEqual({ before: 0, after: 0, outputPadding: 1 });
  });
});
