import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { RandomCrop } from './random-crop.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { replay } from './test-utils/replay.js';

describeOnBackends('RandomCrop', () => {
  it('training: each image is an exact window at its own random offset (top, left drawn in 0..H-h, 0..W-w)', () => {
    const n = 8;
    const values = Array.from({ length: n * 6 * 5 * 2 }, (_, i) => i);
    const x = tf.tensor4d(values, [n, 6, 5, 2]);
    const crop = new RandomCrop({ height: 3, width: 2, seed: 13 });
    const draws = replay(crop.getRngState());
    const offsets = Array.from({ length: n }, () => [draws.int(4), draws.int(4)]);
    expect(new Set(offsets.map((o) => o.join())).size).toBeGreaterThan(1);
    const out = crop.call(x, { training: true });
    expect(out.shape).toEqual([n, 3, 2, 2]);
    const expected = offsets.flatMap(([top, left], b) => {
      const win: number[] = [];
      for (let y = 0; y < 3; y++) for (let xx = 0; xx < 2; xx++) for (let c = 0; c < 2; c++) win.push(values[((b * 6 + top + y) * 5 + left + xx) * 2 + c]);
      return win;
    });
    expect([...out.dataSync()]).toEqual(expected);
    tf.dispose([x, out]);
  });

  it('inference: centre-crops the largest window with the target aspect ratio and resizes it (Keras 3 docs)', () => {
    const x = tf.tensor4d(Array.from({ length: 24 }, (_, i) => i), [1, 4, 6, 1]);
    const crop = new RandomCrop({ height: 2, width: 2, seed: 1 });
    const out = crop.call(x, { training: false });
    expectClose(out.dataSync(), [4.5, 6.5, 16.5, 18.5], 1e-4);
    // training with an image smaller than the target takes the same path
    const small = tf.tensor4d([0, 10, 20, 30], [1, 2, 2, 1]);
    const grown = crop.computeOutputShape(small.shape);
    const up = new RandomCrop({ height: 3, width: 3, seed: 1 }).call(small, { training: true });
    expect(grown).toEqual([1, 2, 2, 1]);
    expect(up.shape).toEqual([1, 3, 3, 1]);
    tf.dispose([x, out, small, up]);
  });

  it('is reproducible by seed, leak-free and round-trips', async () => {
    const x = tf.tensor4d(Array.from({ length: 4 * 8 * 8 }, (_, i) => i), [4, 8, 8, 1]);
    const a = new RandomCrop({ height: 4, width: 4, seed: 2 }).call(x, { training: true });
    const b = new RandomCrop({ height: 4, width: 4, seed: 2 }).call(x, { training: true });
    const c = new RandomCrop({ height: 4, width: 4, seed: 3 }).call(x, { training: true });
    expect(a.dataSync()).toEqual(b.dataSync());
    expect(a.dataSync()).not.toEqual(c.dataSync());
    for (const training of [true, false]) {
      const { result, leaked } = await countLeaks(() => new RandomCrop({ height: 4, width: 3, seed: 2 }).call(x, { training }));
      expect(leaked).toBe(0);
      result.dispose();
    }
    tf.dispose([x, a, b, c]);
    const r = new RandomCrop({ height: 4, width: 3, seed: 7, name: 'rc' });
    expect(RandomCrop.fromConfig(JSON.parse(JSON.stringify(r.getConfig()))).getConfig()).toEqual({ name: 'rc', height: 4, width: 3, seed: 7 });
  });
});
