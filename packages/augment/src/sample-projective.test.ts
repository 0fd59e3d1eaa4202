import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { FILL_MODES, INTERPOLATIONS, type FillMode } from './fill-mode.js';
import { sampleInParts, sampleProjective, sampleProjectiveOn, type Sampler } from './sample-projective.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { referenceSample } from './test-utils/reference-sampler.js';

// Two 4x4 images with two channels: every value distinct, so a wrong pixel shows.
const SHAPE: [number, number, number, number] = [2, 4, 4, 2];
const VALUES = Array.from({ length: 64 }, (_, i) => ((i * 37) % 64) + 0.5 * (i % 3));

const rot = (deg: number, cx = 1.5, cy = 1.5): number[] => {
  const a = (deg * Math.PI) / 180;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, 0, 0];
};

// Source points are never exactly half-way between pixels (ties are rounding conventions).
const CASES: { label: string; transforms: number[][] }[] = [
  { label: 'shift (+1.3, -2.7) and (-6.6, 5.2): past one period of wrap and reflect', transforms: [[1, 0, -1.3, 0, 1, 2.7, 0, 0], [1, 0, 6.6, 0, 1, -5.2, 0, 0]] },
  { label: 'rotate 30 and -115 degrees about the centre', transforms: [rot(30), rot(-115)] },
  { label: 'zoom out 1.7x and in 0.6x about the centre', transforms: [[1.7, 0, -1.05, 0, 1.7, -1.05, 0, 0], [0.6, 0, 0.61, 0, 0.6, 0.59, 0, 0]] },
  { label: 'projective (c0, c1 != 0)', transforms: [[1.1, 0.2, -0.3, -0.1, 0.9, 0.4, 0.07, -0.05], [0.9, 0, 0.2, 0.1, 1, -0.3, -0.11, 0.03]] },
];

for (const sampler of ['tensors', 'arrays'] as Sampler[]) {
  const sample = (...args: Parameters<typeof sampleProjective>) => sampleProjectiveOn(sampler, ...args);
  describeOnBackends(`sampleProjective (${sampler})`, () => {
  it('reads the extended row 10 20 30 40 as each fill mode documents (hand-computed)', () => {
    // output x reads input x - 2: points -2 and -1 are outside
    const row = tf.tensor4d([10, 20, 30, 40], [1, 1, 4, 1]);
    const expected: Record<FillMode, number[]> = {
      reflect: [20, 10, 10, 20],
      wrap: [30, 40, 10, 20],
      nearest: [10, 10, 10, 20],
      constant: [-1, -1, 10, 20],
    };
    for (const fillMode of FILL_MODES) {
      for (const interpolation of INTERPOLATIONS) {
        const t = [[1, 0, -2, 0, 1, 0, 0, 0]];
        const out = sample(row, t, { interpolation, fillMode, fillValue: -1 });
        expect([...out.dataSync()], `${fillMode} ${interpolation}`).toEqual(expected[fillMode]);
        expect([...referenceSample([10, 20, 30, 40], [1, 1, 4, 1], t, interpolation, fillMode, -1)]).toEqual(expected[fillMode]);
        out.dispose();
      }
    }
    row.dispose();
  });

  it('rounds ties half up for nearest interpolation, on every backend (output x reads x + 0.5)', () => {
    const row = tf.tensor4d([10, 20, 30, 40], [1, 1, 4, 1]);
    const out = sample(row, [[1, 0, 0.5, 0, 1, 0, 0, 0]], { interpolation: 'nearest', fillMode: 'constant', fillValue: -1 });
    expect([...out.dataSync()]).toEqual([20, 30, 40, -1]);
    tf.dispose([row, out]);
  });

  for (const { label, transforms } of CASES) {
    it(`matches the float64 reference for every fill mode and interpolation: ${label} (|diff| <= 1e-3)`, () => {
      const images = tf.tensor4d(VALUES, SHAPE);
      for (const fillMode of FILL_MODES) {
        for (const interpolation of INTERPOLATIONS) {
          const out = sample(images, transforms, { interpolation, fillMode, fillValue: -7 });
          const expected = referenceSample(VALUES, SHAPE, transforms, interpolation, fillMode, -7);
          expectClose(out.dataSync(), expected, 1e-3);
          out.dispose();
        }
      }
      images.dispose();
    });
  }

  it('produces another output size (a 3x2 window) and broadcasts a single transform over the batch', () => {
    const images = tf.tensor4d(VALUES, SHAPE);
    const t = [[1, 0, 1, 0, 1, 0.4, 0, 0]];
    const out = sample(images, t, { interpolation: 'bilinear', fillMode: 'wrap', fillValue: 0, outputSize: [3, 2] });
    expect(out.shape).toEqual([2, 3, 2, 2]);
    expectClose(out.dataSync(), referenceSample(VALUES, SHAPE, t, 'bilinear', 'wrap', 0, [3, 2]), 1e-3);
    tf.dispose([images, out]);
  });

  // The arrays sampler needs no parts (integer indices): the test is the tensor path's.
  if (sampler === 'tensors') it('gives the same result when a batch is resampled in parts (the path for batches past 2^24 pixel rows)', () => {
    const images = tf.tensor4d([...VALUES, ...VALUES.map((v) => v + 100)], [4, 4, 4, 2]);
    const transforms = [...CASES[1].transforms, ...CASES[3].transforms];
    const options = { interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0 } as const;
    const whole = sampleProjectiveOn('tensors', images, transforms, options);
    const parts = sampleInParts(images, transforms, options, 3);
    expect(parts.dataSync()).toEqual(whole.dataSync());
    tf.dispose([images, whole, parts]);
  });

  it('leaks no tensors and rejects a wrong number of transforms', async () => {
    const images = tf.tensor4d(VALUES, SHAPE);
    const { result, leaked } = await countLeaks(() =>
      sample(images, CASES[3].transforms, { interpolation: 'bilinear', fillMode: 'constant', fillValue: 0 }),
    );
    expect(leaked).toBe(0);
    result.dispose();
    expect(() => sample(images, [rot(1), rot(2), rot(3)], { interpolation: 'nearest', fillMode: 'wrap', fillValue: 0 })).toThrow(
      'sampleProjective: expected 1 or 2 transforms (one per image), received 3',
    );
    images.dispose();
  });
});
}
