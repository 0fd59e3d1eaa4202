import { describe, expect, it } from 'vitest';
import { windowCounts } from './grad-average-pooling2d.js';
import { bilinearWeights } from './grad-up-sampling2d.js';
import { windowChunk } from './conv-filter-grad.js';
import { oneHotWindowKernel } from './grad-conv2d.js';
import { toGraphLayout, toKerasLayout } from './layout.js';
import { tfPads } from './lowering.js';
import { adamAlpha } from './optimizer-update.js';

describe('tfPads: TensorFlow padding per axis', () => {
  it.each([
    { in: 5, k: 3, s: 1, p: 'same' as const, want: { out: 5, before: 1, after: 1 } },
    { in: 6, k: 3, s: 2, p: 'same' as const, want: { out: 3, before: 0, after: 1 } },
    { in: 7, k: 3, s: 2, p: 'same' as const, want: { out: 4, before: 1, after: 1 } },
    { in: 8, k: 2, s: 2, p: 'same' as const, want: { out: 4, before: 0, after: 0 } },
    { in: 7, k: 3, s: 2, p: 'valid' as const, want: { out: 3, before: 0, after: 0 } },
  ])('in $in k $k stride $s $p', ({ in: n, k, s, p, want }) => {
    expect(tfPads(n, k, s, 1, p)).toEqual(want);
  });
});

describe('oneHotWindowKernel', () => {
  it('channel i*k*k + j copies input channel i at window offset j', () => {
    // 2 input channels, 1x2 kernel: 4 output channels of 2 taps each.
    expect(Array.from(oneHotWindowKernel(2, 1, 2))).toEqual([1, 0, 0, 1, 1, 0, 0, 1]);
  });
});

describe('windowChunk: images per chunk of a filter gradient', () => {
  const MiB = 1024 * 1024;
  it.each([
    // The tutorial's layers, batch 32 (windows bytes per image): 128 px layers 1-4, 300 px layer 2.
    { batch: 32, bytes: 27 * 128 * 128 * 4, want: 2 },
    { batch: 32, bytes: 144 * 64 * 64 * 4, want: 1 },
    { batch: 32, bytes: 288 * 32 * 32 * 4, want: 2 },
    { batch: 32, bytes: 576 * 16 * 16 * 4, want: 4 },
    { batch: 32, bytes: 144 * 150 * 150 * 4, want: 1 },
    // The largest divisor that fits, not the largest count: 7 images of 1 MiB -> 1 (7 does not fit, nothing between divides).
    { batch: 7, bytes: MiB, want: 1 },
    { batch: 12, bytes: MiB, want: 4 },
    { batch: 3, bytes: 1000, want: 3 },
  ])('batch $batch, $bytes bytes an image: $want', ({ batch, bytes, want }) => {
    expect(windowChunk(batch, bytes)).toBe(want);
  });
});

describe('windowCounts: pixels inside each average-pool window (padding excluded)', () => {
  it('3x3 input, pool 2, stride 2, same (pads after): 4, 2 / 2, 1', () => {
    expect(Array.from(windowCounts(3, 3, 2, 2, 2, 2, 0, 0, 2, 2))).toEqual([4, 2, 2, 1]);
  });
  it('3x3 input, pool 3, stride 1, same (pads 1 each side): corners 4, edges 6, centre 9', () => {
    expect(Array.from(windowCounts(3, 3, 3, 3, 1, 1, 1, 1, 3, 3))).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
  });
});

describe("bilinearWeights: TensorFlow's half-pixel bilinear resize per axis, edges clamped", () => {
  it.each([
    // 2 -> 4: samples at -0.25, 0.25, 0.75, 1.25 (the outer two clamp to the edge rows).
    { in: 2, out: 4, want: [1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1] },
    // 3 -> 6: samples at -0.25, 0.25, 0.75, 1.25, 1.75, 2.25.
    { in: 3, out: 6, want: [1, 0, 0, 0.75, 0.25, 0, 0.25, 0.75, 0, 0, 0.75, 0.25, 0, 0.25, 0.75, 0, 0, 1] },
    // 1 -> 3: every output is the one input.
    { in: 1, out: 3, want: [1, 1, 1] },
  ])('$in -> $out', ({ in: n, out, want }) => {
    expect(Array.from(bilinearWeights(n, out))).toEqual(want);
  });
});

describe('weight layouts', () => {
  it('a conv kernel goes HWIO -> OIHW and back unchanged', () => {
    const hwio = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
    const oihw = toGraphLayout(hwio, [2, 3, 4, 5], 'hwio-to-oihw');
    // OIHW[o=1, i=2, h=1, w=0] = HWIO[h=1, w=0, i=2, o=1]
    expect(oihw[((1 * 4 + 2) * 2 + 1) * 3 + 0]).toBe(hwio[((1 * 3 + 0) * 4 + 2) * 5 + 1]);
    expect(Array.from(toKerasLayout(oihw, [2, 3, 4, 5], 'hwio-to-oihw'))).toEqual(Array.from(hwio));
  });
  it('a depthwise kernel [kh, kw, C, M] goes to [C*M, 1, kh, kw] (output channel c*M + m) and back unchanged', () => {
    const hwcm = Float32Array.from({ length: 2 * 3 * 4 * 2 }, (_, i) => i);
    const graph = toGraphLayout(hwcm, [2, 3, 4, 2], 'depthwise');
    // graph[c=3, m=1, h=1, w=2] = keras[h=1, w=2, c=3, m=1]
    expect(graph[((3 * 2 + 1) * 2 + 1) * 3 + 2]).toBe(hwcm[((1 * 3 + 2) * 4 + 3) * 2 + 1]);
    expect(Array.from(toKerasLayout(graph, [2, 3, 4, 2], 'depthwise'))).toEqual(Array.from(hwcm));
  });
});

describe('adamAlpha', () => {
  it('is lr sqrt(1 - b2^t) / (1 - b1^t)', () => {
    expect(adamAlpha(0.001, 0.9, 0.999, 1)).toBeCloseTo((0.001 * Math.sqrt(0.001)) / 0.1, 12);
    expect(adamAlpha(0.001, 0.9, 0.999, 1000)).toBeCloseTo((0.001 * Math.sqrt(1 - 0.999 ** 1000)) / (1 - 0.9 ** 1000), 12);
  });
});
