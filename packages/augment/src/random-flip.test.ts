import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { RandomFlip } from './random-flip.js';
import { describeOnBackends } from './test-utils/backends.js';
import { replay } from './test-utils/replay.js';

const batch = (n: number) => tf.tensor4d(Array.from({ length: n * 3 * 4 * 2 }, (_, i) => i * 1.5 - 7), [n, 3, 4, 2]);

describeOnBackends('RandomFlip', () => {
  it('flipping twice with the same draws is the identity (exact)', () => {
    for (const mode of ['horizontal', 'vertical', 'horizontal_and_vertical'] as const) {
      const flip = new RandomFlip({ mode, seed: 3 });
      const x = batch(8);
      const saved = flip.getRngState();
      const once = flip.call(x, { training: true });
      flip.setRngState(saved);
      const twice = flip.call(once, { training: true });
      expect(once.dataSync()).not.toEqual(x.dataSync()); // 8 coins: some image flipped
      expect(twice.dataSync()).toEqual(x.dataSync());
      tf.dispose([x, once, twice]);
    }
  });

  it('flips exactly the images whose coin came up (each image its own), per mode', () => {
    const x = batch(12);
    const cases = [
      ['horizontal', [2]],
      ['vertical', [1]],
      ['horizontal_and_vertical', [1, 2]],
    ] as const;
    for (const [mode, axes] of cases) {
      const flip = new RandomFlip({ mode, seed: 11 });
      const coins = replay(flip.getRngState());
      const flipped = Array.from({ length: 12 }, () => coins.next() < 0.5);
      expect(new Set(flipped).size).toBe(2);
      const out = flip.call(x, { training: true });
      const all = tf.reverse(x, [...axes]);
      const expected = tf.concat(flipped.map((f, i) => tf.slice(f ? all : x, [i, 0, 0, 0], [1, 3, 4, 2])));
      expect(out.dataSync()).toEqual(expected.dataSync());
      tf.dispose([out, all, expected]);
    }
    x.dispose();
  });

  it('returns the input itself at inference, is reproducible by seed, and leaks nothing', async () => {
    const x = batch(16);
    expect(new RandomFlip({ seed: 1 }).call(x, { training: false })).toBe(x);
    const a = new RandomFlip({ seed: 5 }).call(x, { training: true });
    const b = new RandomFlip({ seed: 5 }).call(x, { training: true });
    const c = new RandomFlip({ seed: 6 }).call(x, { training: true });
    expect(a.dataSync()).toEqual(b.dataSync());
    expect(a.dataSync()).not.toEqual(c.dataSync());
    const { result, leaked } = await countLeaks(() => new RandomFlip({ seed: 1 }).call(x, { training: true }));
    expect(leaked).toBe(0);
    tf.dispose([x, a, b, c, result]);
  });

  it('round-trips its config and rejects an unknown mode naming the choices', () => {
    const flip = new RandomFlip({ mode: 'vertical', seed: 4, name: 'flip' });
    expect(RandomFlip.fromConfig(JSON.parse(JSON.stringify(flip.getConfig()))).getConfig()).toEqual({ name: 'flip', mode: 'vertical', seed: 4 });
    expect(new RandomFlip().mode).toBe('horizontal_and_vertical');
    expect(() => new RandomFlip({ mode: 'diagonal' as never })).toThrow(
      `RandomFlip: expected mode to be one of 'horizontal', 'vertical', 'horizontal_and_vertical', received "diagonal"`,
    );
    expect(flip.computeOutputShape([null, 3, 4, 2])).toEqual([null, 3, 4, 2]);
  });
});
