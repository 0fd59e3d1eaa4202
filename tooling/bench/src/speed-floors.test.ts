import { expect, it } from 'vitest';
import type { BenchResult } from './bench-result.js';
import { checkTargets, FLOORS } from './targets.js';

const row = (engine: string, task: BenchResult['task'], size: number, imagesPerSecond: number): BenchResult => ({ engine, task, size, batch: 8, imagesPerSecond, repeats: 1 });

// The speed floors that replaced wall-clock assertions in the test suites: the
// synthetic-training test's 3 epochs x 96 images in 60 s is 4.8 images/s at 16 px.
it.each([
  // engine, images/s at 16 px, ratio to the floor, met
  ['cnnkit-cpu', 9.6, 2, true],
  ['cnnkit-cpu', 2.4, 0.5, false],
  ['cnnkit-wasm', 4.8, 1, true],
] as const)('%s training at %d images/s (16 px): ratio %d to the floor, met %s', (engine, rate, ratio, met) => {
  const checks = checkTargets([row(engine, 'train', 16, rate)]).filter((c) => c.name.startsWith('tutorial model training at 16 px'));
  expect(checks).toHaveLength(1);
  expect(checks[0].ratio).toBeCloseTo(ratio, 12);
  expect(checks[0]).toMatchObject({ size: 16, target: 1, met, offSize: false });
});

it('checks a floor only at its own size and task', () => {
  expect(FLOORS.map((f) => f.minImagesPerSecond)).toEqual([4.8, 4.8]);
  const names = checkTargets([row('cnnkit-cpu', 'train', 64, 1), row('cnnkit-cpu', 'infer', 16, 1)]).map((c) => c.name);
  expect(names.filter((n) => n.startsWith('tutorial model'))).toEqual([]);
});
