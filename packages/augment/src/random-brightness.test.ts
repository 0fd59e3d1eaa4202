import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { adjustBrightness, RandomBrightness } from './random-brightness.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { replay } from './test-utils/replay.js';

const LITERAL = [10, 200, 20, 250, 30, 100, 100, 50];

describeOnBackends('RandomBrightness', () => {
  it('adds one delta per image and clips to [0, 255]: hand-computed for +30 and -40', () => {
    const x = tf.tensor4d([...LITERAL, ...LITERAL], [2, 2, 2, 2]);
    const out = adjustBrightness(x, [30, -40], [0, 255]);
    expectClose(out.dataSync(), [40, 230, 50, 255, 60, 130, 130, 80, 0, 160, 0, 210, 0, 60, 60, 10], 1e-4);
    tf.dispose([x, out]);
  });

  it('draws delta = u * (high - low) per image with u in the factor range', () => {
    const x = tf.tensor4d([...LITERAL, ...LITERAL], [2, 2, 2, 2]);
    const brightness = new RandomBrightness({ factor: 0.2, valueRange: [0, 255], seed: 3 });
    const draws = replay(brightness.getRngState());
    const deltas = [draws.uniform(-0.2, 0.2) * 255, draws.uniform(-0.2, 0.2) * 255];
    const out = brightness.call(x, { training: true });
    const expected = [...LITERAL, ...LITERAL].map((v, i) => Math.min(255, Math.max(0, v + deltas[Math.floor(i / 8)])));
    expectClose(out.dataSync(), expected, 1e-3);
    tf.dispose([x, out]);
  });

  it('is identity at inference, reproducible, leak-free, round-trips, and validates', async () => {
    const x = tf.tensor4d(LITERAL, [1, 2, 2, 2]);
    expect(new RandomBrightness({ factor: 0.5 }).call(x, { training: false })).toBe(x);
    const a = new RandomBrightness({ factor: 0.5, seed: 1 }).call(x, { training: true });
    const b = new RandomBrightness({ factor: 0.5, seed: 1 }).call(x, { training: true });
    expect(a.dataSync()).toEqual(b.dataSync());
    const { result, leaked } = await countLeaks(() => new RandomBrightness({ factor: 0.5, seed: 1 }).call(x, { training: true }));
    expect(leaked).toBe(0);
    tf.dispose([x, a, b, result]);
    const k = new RandomBrightness({ factor: [-0.1, 0.3], seed: 5, name: 'k' });
    expect(RandomBrightness.fromConfig(JSON.parse(JSON.stringify(k.getConfig()))).getConfig()).toEqual({ name: 'k', factor: [-0.1, 0.3], valueRange: [0, 255], seed: 5 });
    expect(() => new RandomBrightness({ factor: [0, 2] })).toThrow('RandomBrightness: expected factor to be a number or a [lower, upper] pair of numbers in [-1, 1], received [0,2]');
  });
});
