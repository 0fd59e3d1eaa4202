import { describe, expect, it } from 'vitest';
import { assertRank, assertShape, formatShape } from './checks.js';
import { ShapeError } from './errors.js';

describe('shape checks', () => {
  it('formats unknown sizes as ?', () => {
    expect(formatShape([null, 3, 4])).toBe('[?, 3, 4]');
  });
  it('accepts matching shapes and names operation, expectation and input on mismatch', () => {
    expect(() => assertShape('conv2d', 'input', [8, 32, 32, 3], [null, null, null, 3])).not.toThrow();
    expect(() => assertShape('conv2d', 'input', [8, 32, 32, 1], [null, null, null, 3])).toThrow(
      new ShapeError('conv2d: expected input of shape [?, ?, ?, 3], received [8, 32, 32, 1]'),
    );
    expect(() => assertRank('dense', 'input', [2, 3, 4], 2)).toThrow('dense: expected input of rank 2, received rank 3 with shape [2, 3, 4]');
  });
});
