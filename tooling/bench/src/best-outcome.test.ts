import { expect, test } from 'vitest';
import type { BenchOutcome } from './bench-result.js';
import { bestOutcome } from './best-outcome.js';

const row = (imagesPerSecond: number, note?: string): BenchOutcome => ({ kind: 'result', result: { engine: 'pytorch', task: 'train', size: 128, batch: 32, imagesPerSecond, repeats: 5, note } });
const skipped: BenchOutcome = { kind: 'skipped', skipped: { engine: 'pytorch', task: 'train', size: 128, reason: 'no torch' } };

test('keeps the faster run, in either order, and names both rates in the note', () => {
  for (const [a, b] of [[row(120.04, 'torch 1.13'), row(340.26, 'torch 1.13')], [row(340.26, 'torch 1.13'), row(120.04, 'torch 1.13')]]) {
    const best = bestOutcome(a, b);
    expect(best.kind === 'result' && best.result.imagesPerSecond).toBe(340.26);
    expect(best.kind === 'result' && best.result.note).toBe(
      `torch 1.13; best of 2 runs (before and after the cnnkit rows: ${a.kind === 'result' ? a.result.imagesPerSecond.toFixed(1) : ''} and ${b.kind === 'result' ? b.result.imagesPerSecond.toFixed(1) : ''} images/s)`,
    );
  }
});

test('a skipped run gives way to a measured one; two skipped stay skipped', () => {
  expect(bestOutcome(skipped, row(300))).toEqual(row(300));
  expect(bestOutcome(row(300), skipped)).toEqual(row(300));
  expect(bestOutcome(skipped, skipped)).toEqual(skipped);
});
