import { describe, expect, it } from 'vitest';
import { permute } from './permute.js';

describe('permute: numpy.transpose of row-major data', () => {
  it.each([
    // numpy.arange(6).reshape(2, 3).transpose(1, 0)
    { values: [0, 1, 2, 3, 4, 5], shape: [2, 3], perm: [1, 0], want: [0, 3, 1, 4, 2, 5], wantShape: [3, 2] },
    // identity
    { values: [0, 1, 2, 3, 4, 5], shape: [2, 3], perm: [0, 1], want: [0, 1, 2, 3, 4, 5], wantShape: [2, 3] },
    // numpy.arange(8).reshape(2, 2, 2).transpose(2, 0, 1) = [[[0, 2], [4, 6]], [[1, 3], [5, 7]]]
    { values: [0, 1, 2, 3, 4, 5, 6, 7], shape: [2, 2, 2], perm: [2, 0, 1], want: [0, 2, 4, 6, 1, 3, 5, 7], wantShape: [2, 2, 2] },
    // numpy.arange(6).reshape(1, 2, 3).transpose(0, 2, 1)
    { values: [0, 1, 2, 3, 4, 5], shape: [1, 2, 3], perm: [0, 2, 1], want: [0, 3, 1, 4, 2, 5], wantShape: [1, 3, 2] },
    // a scalar
    { values: [7], shape: [], perm: [], want: [7], wantShape: [] },
  ])('shape $shape by $perm', ({ values, shape, perm, want, wantShape }) => {
    const out = permute(values, shape, perm);
    expect(out.values).toBeInstanceOf(Float32Array);
    expect(Array.from(out.values)).toEqual(want);
    expect(out.shape).toEqual(wantShape);
  });

  it('a conv kernel HWIO -> OIHW puts each element where the index arithmetic says, and back', () => {
    const hwio = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
    const oihw = permute(hwio, [2, 3, 4, 5], [3, 2, 0, 1]);
    expect(oihw.shape).toEqual([5, 4, 2, 3]);
    // OIHW[o=1, i=2, h=1, w=0] = HWIO[h=1, w=0, i=2, o=1]
    expect(oihw.values[((1 * 4 + 2) * 2 + 1) * 3 + 0]).toBe(hwio[((1 * 3 + 0) * 4 + 2) * 5 + 1]);
    expect(Array.from(permute(oihw.values, oihw.shape, [2, 3, 1, 0]).values)).toEqual(Array.from(hwio));
  });

  it.each([
    { shape: [2, 3], perm: [0], n: 6, message: 'permute: perm expected a permutation of 0..1 for shape [2, 3], received [0]' },
    { shape: [2, 3], perm: [1, 1], n: 6, message: 'permute: perm expected a permutation of 0..1 for shape [2, 3], received [1, 1]' },
    { shape: [2, 3], perm: [1, 0], n: 5, message: 'permute: expected 6 values for shape [2, 3], received 5' },
  ])('rejects perm $perm / $n values for shape $shape', ({ shape, perm, n, message }) => {
    expect(() => permute(new Float32Array(n), shape, perm)).toThrow(new RangeError(message));
  });
});
