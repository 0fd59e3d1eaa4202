import { describe, expect, it } from 'vitest';
import { convOutputLength, deconvOutputLength, expectImage, formatKerasShape, sizeOf } from './shape.js';

// Output lengths against TensorFlow's formulas written out independently:
// same: ceil(n / s); valid: ceil((n - ((k - 1) d + 1) + 1) / s);
// transposed (Keras deconv_output_length, no output padding): same: n s; valid: n s + max(k_eff - s, 0).
const tfConv = (n: number, k: number, padding: 'same' | 'valid', s: number, d: number) =>
  padding === 'same' ? Math.ceil(n / s) : Math.ceil((n - ((k - 1) * d + 1) + 1) / s);
const kerasDeconv = (n: number, k: number, padding: 'same' | 'valid', s: number, d: number) =>
  padding === 'same' ? n * s : n * s + Math.max((k - 1) * d + 1 - s, 0);

describe('shape arithmetic', () => {
  const cases: [number, number, 'same' | 'valid', number, number][] = [
    [7, 3, 'same', 2, 1],
    [7, 3, 'valid', 2, 1],
    [8, 3, 'valid', 3, 1],
    [9, 3, 'valid', 1, 2],
    [10, 2, 'valid', 3, 3],
    [5, 1, 'same', 1, 1],
    [6, 4, 'valid', 1, 1],
    [11, 3, 'same', 4, 2],
  ];
  it.each(cases)('convOutputLength(%d, kernel %d, %s, stride %d, dilation %d)', (n, k, padding, s, d) => {
    expect(convOutputLength(n, k, padding, s, d)).toBe(tfConv(n, k, padding, s, d));
  });
  it.each(cases)('deconvOutputLength(%d, kernel %d, %s, stride %d, dilation %d)', (n, k, padding, s, d) => {
    expect(deconvOutputLength(n, k, padding, s, d)).toBe(kerasDeconv(n, k, padding, s, d));
  });
  it('unknown lengths stay unknown; dilation defaults to 1', () => {
    expect(convOutputLength(null, 3, 'valid', 1)).toBeNull();
    expect(deconvOutputLength(null, 3, 'valid', 2)).toBeNull();
    expect(convOutputLength(7, 3, 'valid', 1)).toBe(5);
    expect(deconvOutputLength(5, 3, 'valid', 2)).toBe(11);
  });
  it.each([
    [[null, 128], '(None, 128)'],
    [[4], '(4,)'],
    [[null, 32, 32, 3], '(None, 32, 32, 3)'],
    [[], '()'],
  ] as const)('formatKerasShape(%j) = %s', (shape, text) => {
    expect(formatKerasShape(shape)).toBe(text);
  });
  it.each([
    [[2, 3, 4], 24],
    [[5], 5],
    [[], 1],
  ])('sizeOf(%j) = %d', (shape, size) => {
    expect(sizeOf(shape)).toBe(size);
  });
  it('expectImage returns a known NHWC shape and names the layer and shape otherwise', () => {
    expect(expectImage('Conv2D', [null, 8, 6, 3])).toEqual([null, 8, 6, 3]);
    expect(() => expectImage('Conv2D', [null, 8, 3])).toThrow('Conv2D: expected a rank-4 input (batch, height, width, channels), received rank 3 with shape (None, 8, 3)');
    for (const shape of [[null, null, 6, 3], [null, 8, null, 3], [null, 8, 6, null]]) {
      expect(() => expectImage('MaxPooling2D', shape)).toThrow(`MaxPooling2D: expected known height, width and channels, received ${formatKerasShape(shape)}`);
    }
  });
});
