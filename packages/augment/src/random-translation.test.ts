import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { translationTransform } from './affine.js';
import { RandomTranslation } from './random-translation.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { referenceSample } from './test-utils/reference-sampler.js';
import { replay } from './test-utils/replay.js';

describeOnBackends('RandomTranslation', () => {
  it('shifting a 4x4 image by exactly one pixel down and right gives the hand-computed result per fill mode', () => {
    // ramp 0..15; the uncovered top row and left column come from the fill mode
    const ramp = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);
    const cases = {
      constant: [-1, -1, -1, -1, -1, 0, 1, 2, -1, 4, 5, 6, -1, 8, 9, 10],
      nearest: [0, 0, 1, 2, 0, 0, 1, 2, 4, 4, 5, 6, 8, 8, 9, 10],
      reflect: [0, 0, 1, 2, 0, 0, 1, 2, 4, 4, 5, 6, 8, 8, 9, 10],
      wrap: [15, 12, 13, 14, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10],
    } as const;
    for (const [fillMode, expected] of Object.entries(cases)) {
      const shift = new RandomTranslation({ heightFactor: [0.25, 0.25], widthFactor: [0.25, 0.25], fillMode: fillMode as keyof typeof cases, fillValue: -1, seed: 1 });
      const out = shift.call(ramp, { training: true });
      expectClose(out.dataSync(), expected, 1e-4);
      out.dispose();
    }
    ramp.dispose();
  });

  it('matches the float64 reference for the shifts drawn (|diff| <= 1e-3)', () => {
    const values = Array.from({ length: 2 * 5 * 3 * 2 }, (_, i) => (i * 7) % 31);
    const x = tf.tensor4d(values, [2, 5, 3, 2]);
    const shift = new RandomTranslation({ heightFactor: 0.5, widthFactor: [-0.2, 0.7], fillMode: 'reflect', seed: 4 });
    const draws = replay(shift.getRngState());
    const transforms = [0, 1].map(() => {
      const dy = draws.uniform(-0.5, 0.5) * 5;
      const dx = draws.uniform(-0.2, 0.7) * 3;
      return translationTransform(dy, dx);
    });
    const out = shift.call(x, { training: true });
    expectClose(out.dataSync(), referenceSample(values, [2, 5, 3, 2], transforms, 'bilinear', 'reflect', 0), 1e-3);
    tf.dispose([x, out]);
  });

  it('is identity at inference, reproducible, leak-free, and round-trips its config', async () => {
    const x = tf.ones([2, 4, 4, 3]) as tf.Tensor4D;
    expect(new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }).call(x, { training: false })).toBe(x);
    const { result, leaked } = await countLeaks(() => new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 1 }).call(x, { training: true }));
    expect(leaked).toBe(0);
    tf.dispose([x, result]);
    const t = new RandomTranslation({ heightFactor: 0.1, widthFactor: [-0.2, 0.3], seed: 2, name: 't' });
    expect(RandomTranslation.fromConfig(JSON.parse(JSON.stringify(t.getConfig()))).getConfig()).toEqual({
      name: 't', heightFactor: 0.1, widthFactor: [-0.2, 0.3], fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, seed: 2,
    });
  });
});
