import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { rotationTransform } from './affine.js';
import { INTERPOLATIONS } from './fill-mode.js';
import { RandomRotation } from './random-rotation.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { referenceSample } from './test-utils/reference-sampler.js';
import { replay } from './test-utils/replay.js';

const VALUES = Array.from({ length: 2 * 5 * 5 * 2 }, (_, i) => (i * 29) % 97);
const square = () => tf.tensor4d(VALUES, [2, 5, 5, 2]);

describeOnBackends('RandomRotation', () => {
  it('a quarter turn (factor [0.25, 0.25]) is transpose(reverse(x, width)): counter-clockwise, every pixel, |diff| <= 1e-4', () => {
    const x = square();
    const expected = tf.transpose(tf.reverse(x, 2), [0, 2, 1, 3]);
    for (const interpolation of INTERPOLATIONS) {
      const out = new RandomRotation({ factor: [0.25, 0.25], interpolation, fillMode: 'constant', fillValue: -1, seed: 1 }).call(x, { training: true });
      expectClose(out.dataSync(), expected.dataSync(), 1e-4);
      out.dispose();
    }
    // and a quarter turn clockwise is the mirror image of that
    const cw = new RandomRotation({ factor: [-0.25, -0.25], interpolation: 'nearest', seed: 1 }).call(x, { training: true });
    const cwExpected = tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 2);
    expectClose(cw.dataSync(), cwExpected.dataSync(), 1e-4);
    tf.dispose([x, expected, cw, cwExpected]);
  });

  it('rotation by 0 is the identity within 1e-4', () => {
    const x = square();
    const out = new RandomRotation({ factor: 0, seed: 2 }).call(x, { training: true });
    expectClose(out.dataSync(), x.dataSync(), 1e-4);
    tf.dispose([x, out]);
  });

  it('gives each image its own angle and matches the float64 reference for the angles drawn (|diff| <= 1e-3)', () => {
    const x = square();
    for (const fillMode of ['reflect', 'wrap', 'constant', 'nearest'] as const) {
      const rotate = new RandomRotation({ factor: 0.2, fillMode, fillValue: 3, seed: 21 });
      const draws = replay(rotate.getRngState());
      const angles = [draws.uniform(-0.2, 0.2), draws.uniform(-0.2, 0.2)].map((f) => f * 2 * Math.PI);
      expect(Math.abs(angles[0] - angles[1])).toBeGreaterThan(1e-3);
      const out = rotate.call(x, { training: true });
      const expected = referenceSample(VALUES, [2, 5, 5, 2], angles.map((a) => rotationTransform(a, 5, 5)), 'bilinear', fillMode, 3);
      expectClose(out.dataSync(), expected, 1e-3);
      out.dispose();
    }
    x.dispose();
  });

  it('is identity at inference, reproducible by seed, leak-free, and round-trips its config', async () => {
    const x = square();
    expect(new RandomRotation({ factor: 0.3 }).call(x, { training: false })).toBe(x);
    const a = new RandomRotation({ factor: 0.3, seed: 8 }).call(x, { training: true });
    const b = new RandomRotation({ factor: 0.3, seed: 8 }).call(x, { training: true });
    const c = new RandomRotation({ factor: 0.3, seed: 9 }).call(x, { training: true });
    expect(a.dataSync()).toEqual(b.dataSync());
    expect(a.dataSync()).not.toEqual(c.dataSync());
    const { result, leaked } = await countLeaks(() => new RandomRotation({ factor: 0.3, seed: 1 }).call(x, { training: true }));
    expect(leaked).toBe(0);
    tf.dispose([x, a, b, c, result]);
    const r = new RandomRotation({ factor: [-0.1, 0.2], fillMode: 'wrap', interpolation: 'nearest', fillValue: 0, seed: 3, name: 'rot' });
    const config = { name: 'rot', factor: [-0.1, 0.2], fillMode: 'wrap', interpolation: 'nearest', fillValue: 0, seed: 3 };
    expect(r.getConfig()).toEqual(config);
    expect(RandomRotation.fromConfig(JSON.parse(JSON.stringify(r.getConfig()))).getConfig()).toEqual(config);
    expect(new RandomRotation({ factor: 0.1 }).fill).toEqual({ fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0 });
    expect(() => new RandomRotation({ factor: 0.1, fillMode: 'mirror' as never })).toThrow(
      `RandomRotation: expected fillMode to be one of 'reflect', 'wrap', 'constant', 'nearest', received "mirror"`,
    );
  });
});
