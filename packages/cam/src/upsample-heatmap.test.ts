import { describe, expect, it } from 'vitest';
import { expectClose } from './test-utils/setup.js';
import { upsampleHeatmap } from './upsample-heatmap.js';

describe('upsampleHeatmap', () => {
  it('2x2 → 4x4 with half-pixel centres: hand-computed values (1e-6)', () => {
    // Output pixel X maps to source x = (X + 0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1.
    const out = upsampleHeatmap([0, 1, 2, 3], [2, 2], [4, 4]);
    const row = (top: number): number[] => [0, 0.25, 0.75, 1].map((t) => top + t);
    expectClose(out, [...row(0), ...row(0.5), ...row(1.5), ...row(2)], 1e-6);
  });

  it('keeps a constant map constant and the identity size unchanged', () => {
    expectClose(upsampleHeatmap([0.7, 0.7, 0.7, 0.7, 0.7, 0.7], [2, 3], [5, 7]), new Array(35).fill(0.7), 1e-6);
    expectClose(upsampleHeatmap([1, 2, 3, 4, 5, 6], [2, 3], [2, 3]), [1, 2, 3, 4, 5, 6], 1e-6);
  });

  it('says how many values it expected', () => {
    expect(() => upsampleHeatmap([1, 2, 3], [2, 2], [4, 4])).toThrow(/expected 2x2 = 4 values, received 3/);
  });
});
