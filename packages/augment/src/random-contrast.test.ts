import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { adjustContrast, RandomContrast } from './random-contrast.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { replay } from './test-utils/replay.js';

// 2x2 image, 2 channels: channel 0 = 10 20 30 100 (mean 40), channel 1 = 200 250 100 50 (mean 150)
const LITERAL = [10, 200, 20, 250, 30, 100, 100, 50];

describeOnBackends('RandomContrast', () => {
  it('(x - mean) * f + mean per image and channel, clipped to [0, 255]: hand-computed for f = 2 and f = 0.5', () => {
    const x = tf.tensor4d([...LITERAL, ...LITERAL], [2, 2, 2, 2]);
    const out = adjustContrast(x, [2, 0.5], [0, 255]);
    // f = 2: ch0 -20->0, 0, 20, 160; ch1 250, 350->255, 50, -50->0
    // f = 0.5: ch0 25, 30, 35, 70; ch1 175, 200, 125, 100
    expectClose(out.dataSync(), [0, 250, 0, 255, 20, 50, 160, 0, 25, 175, 30, 200, 35, 125, 70, 100], 1e-4);
    tf.dispose([x, out]);
  });

  it('draws one factor per image in [1 - lower, 1 + upper] and applies it', () => {
    const x = tf.tensor4d([...LITERAL, ...LITERAL], [2, 2, 2, 2]);
    const contrast = new RandomContrast({ factor: [0.3, 0.6], seed: 12 });
    const draws = replay(contrast.getRngState());
    const factors = [draws.uniform(0.7, 1.6), draws.uniform(0.7, 1.6)];
    const out = contrast.call(x, { training: true });
    const mean = [40, 150];
    const expected = [...LITERAL, ...LITERAL].map((v, i) => {
      const f = factors[Math.floor(i / 8)];
      return Math.min(255, Math.max(0, (v - mean[i % 2]) * f + mean[i % 2]));
    });
    expectClose(out.dataSync(), expected, 1e-3);
    tf.dispose([x, out]);
  });

  it('is identity at inference, reproducible, leak-free, round-trips, and validates factor and valueRange', async () => {
    const x = tf.tensor4d(LITERAL, [1, 2, 2, 2]);
    expect(new RandomContrast({ factor: 0.5 }).call(x, { training: false })).toBe(x);
    const a = new RandomContrast({ factor: 0.5, seed: 1 }).call(x, { training: true });
    const b = new RandomContrast({ factor: 0.5, seed: 1 }).call(x, { training: true });
    const c = new RandomContrast({ factor: 0.5, seed: 2 }).call(x, { training: true });
    expect(a.dataSync()).toEqual(b.dataSync());
    expect(a.dataSync()).not.toEqual(c.dataSync());
    const { result, leaked } = await countLeaks(() => new RandomContrast({ factor: 0.5, seed: 1 }).call(x, { training: true }));
    expect(leaked).toBe(0);
    tf.dispose([x, a, b, c, result]);
    const k = new RandomContrast({ factor: 0.2, valueRange: [0, 1], seed: 5, name: 'k' });
    expect(RandomContrast.fromConfig(JSON.parse(JSON.stringify(k.getConfig()))).getConfig()).toEqual({ name: 'k', factor: 0.2, valueRange: [0, 1], seed: 5 });
    expect(() => new RandomContrast({ factor: 1.2 })).toThrow('RandomContrast: expected factor to be a number or a [lower, upper] pair of numbers in [0, 1], received 1.2');
    expect(() => new RandomContrast({ factor: 0.1, valueRange: [255, 0] })).toThrow('RandomContrast: expected valueRange to be a [low, high] pair');
  });
});
