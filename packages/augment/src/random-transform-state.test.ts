import { tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { CenterCrop } from './center-crop.js';
import type { RandomImageTransform } from './image-transform.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomContrast } from './random-contrast.js';
import { RandomCrop } from './random-crop.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';
import { RandomTranslation } from './random-translation.js';
import { RandomZoom } from './random-zoom.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';

// What every random transform shares: the output shape it reports for a non-square
// input, and its RNG state, which a checkpoint saves and restores so a resumed run
// draws the same augmentations (replaying from a saved state repeats the output).

const makers: [string, () => RandomImageTransform, (number | null)[]][] = [
  ['RandomBrightness', () => new RandomBrightness({ factor: 0.3, seed: 1 }), [null, 5, 7, 3]],
  ['RandomContrast', () => new RandomContrast({ factor: 0.4, seed: 2 }), [null, 5, 7, 3]],
  ['RandomRotation', () => new RandomRotation({ factor: 0.2, seed: 3 }), [null, 5, 7, 3]],
  ['RandomTranslation', () => new RandomTranslation({ heightFactor: 0.2, widthFactor: 0.3, seed: 4 }), [null, 5, 7, 3]],
  ['RandomZoom', () => new RandomZoom({ heightFactor: 0.3, seed: 5 }), [null, 5, 7, 3]],
  ['RandomFlip', () => new RandomFlip({ seed: 8 }), [null, 5, 7, 3]],
  ['RandomCrop', () => new RandomCrop({ height: 3, width: 4, seed: 7 }), [null, 3, 4, 3]],
];

describeOnBackends('random transforms: output shape and RNG state', () => {
  it.each(makers)('%s reports its output shape for a 5x7 input', (_name, make, shape) => {
    expect(make().computeOutputShape([null, 5, 7, 3])).toEqual(shape);
  });
  it.each(makers)('%s replays its draws from a restored RNG state', (_name, make) => {
    const x = tf.tensor4d(Array.from({ length: 4 * 5 * 7 * 3 }, (_, i) => (i * 37) % 251), [4, 5, 7, 3]);
    const t = make();
    const saved = t.getRngState();
    const first = t.call(x, { training: true });
    const second = t.call(x, { training: true });
    t.setRngState(saved);
    const replayed = t.call(x, { training: true });
    expectClose(replayed.dataSync(), first.dataSync(), 0);
    // the stream moved on between the first two calls (else the replay proves nothing)
    expect(Array.from(second.dataSync())).not.toEqual(Array.from(first.dataSync()));
    tf.dispose([x, first, second, replayed]);
  });
  it('CenterCrop returns an input of its own size unchanged, and crops a larger one around the centre', () => {
    const x = tf.tensor4d(Array.from({ length: 5 * 7 }, (_, i) => i), [1, 5, 7, 1]);
    expect(new CenterCrop({ height: 5, width: 7 }).call(x, { training: false })).toBe(x);
    // 5x7 -> 3x3: top (5 - 3) / 2 = 1, left (7 - 3) / 2 = 2
    const out = new CenterCrop({ height: 3, width: 3 }).call(x, { training: false });
    expectClose(out.dataSync(), [9, 10, 11, 16, 17, 18, 23, 24, 25], 0);
    expect(new CenterCrop({ height: 3, width: 4 }).computeOutputShape([null, 5, 7, 1])).toEqual([null, 3, 4, 1]);
    // one side already the target size: only the other is cropped (left 2, resp. top 1)
    const columns = new CenterCrop({ height: 5, width: 3 }).call(x, { training: false });
    expectClose(columns.dataSync(), [0, 1, 2, 3, 4].flatMap((r) => [7 * r + 2, 7 * r + 3, 7 * r + 4]), 0);
    const rows = new CenterCrop({ height: 3, width: 7 }).call(x, { training: false });
    expectClose(rows.dataSync(), Array.from({ length: 21 }, (_, i) => 7 + i), 0);
    // a target larger than the input along one side is reached by resizing (Keras), not by slicing
    for (const [height, width] of [[6, 7], [5, 8]]) {
      expect(new CenterCrop({ height, width }).call(x, { training: false }).shape).toEqual([1, height, width, 1]);
      expect(new RandomCrop({ height, width, seed: 1 }).call(x, { training: true }).shape).toEqual([1, height, width, 1]);
    }
    tf.dispose([x, out, columns, rows]);
  });
});
