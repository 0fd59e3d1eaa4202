import { countLeaks, createRng, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { augmentation, Augmentation } from './augmentation.js';
import { RandomCrop } from './random-crop.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';
import { Resizing } from './resizing.js';
import { describeOnBackends } from './test-utils/backends.js';

const images = () => tf.tensor4d(Array.from({ length: 4 * 6 * 6 * 3 }, (_, i) => (i * 11) % 256), [4, 6, 6, 3]);
// the tutorial's data_augmentation
const tutorial = (seed: number | null) =>
  augmentation([new RandomFlip({ mode: 'horizontal', seed: 1 }), new RandomRotation({ factor: 0.1, seed: 2 })], { seed });

describeOnBackends('augmentation', () => {
  it('applies its layers in order: flip then rotation equals the two layers called with the same stream', () => {
    const x = images();
    const pipe = tutorial(7);
    const out = pipe.call(x, { training: true });
    const rng = createRng(7).fork('augmentation');
    const flipped = new RandomFlip({ mode: 'horizontal' }).call(x, { training: true, rng });
    const expected = new RandomRotation({ factor: 0.1 }).call(flipped, { training: true, rng });
    expect(out.dataSync()).toEqual(expected.dataSync());
    tf.dispose([x, out, flipped, expected]);
  });

  it('returns the input itself at inference; same seed same output, other seed other output', () => {
    const x = images();
    expect(tutorial(1).call(x, { training: false })).toBe(x);
    const a = tutorial(1).call(x, { training: true });
    const b = tutorial(1).call(x, { training: true });
    const c = tutorial(2).call(x, { training: true });
    expect(a.dataSync()).toEqual(b.dataSync());
    expect(a.dataSync()).not.toEqual(c.dataSync());
    tf.dispose([x, a, b, c]);
  });

  it('saving and restoring the RNG state replays the same batch (checkpoint resume), with and without a pipeline seed', () => {
    const x = images();
    for (const seed of [5, null]) {
      const pipe = tutorial(seed);
      pipe.call(x, { training: true }).dispose();
      const saved = JSON.parse(JSON.stringify(pipe.getRngState()));
      const next = pipe.call(x, { training: true });
      const resumed = tutorial(seed);
      resumed.setRngState(saved);
      const replayed = resumed.call(x, { training: true });
      expect(replayed.dataSync()).toEqual(next.dataSync());
      tf.dispose([next, replayed]);
    }
    expect(() => tutorial(null).setRngState({ pipeline: null, layers: [] })).toThrow(
      'Augmentation.setRngState: expected { pipeline, layers } with 2 layer states',
    );
    x.dispose();
  });

  it('as a dataset map: augments images, keeps labels, consumes the incoming images, leaks nothing', async () => {
    const pipe = tutorial(3);
    const labels = tf.tensor1d([0, 1, 1, 0]);
    const batch = { images: images(), labels };
    const before = tf.memory().numTensors;
    const result = pipe.map(batch);
    // the new images replace the old ones: no tensor more, no tensor less
    expect(tf.memory().numTensors).toBe(before);
    expect(batch.images.isDisposed).toBe(true);
    expect(result.labels).toBe(labels);
    expect(result.images.shape).toEqual([4, 6, 6, 3]);
    tf.dispose([result.images, labels]);
  });

  it('call leaks nothing, with intermediate results and a shape-changing pipeline', async () => {
    const x = images();
    const pipe = augmentation([new RandomFlip({ seed: 1 }), new RandomRotation({ factor: 0.2, seed: 1 }), new RandomCrop({ height: 4, width: 5, seed: 1 }), new Resizing({ height: 3, width: 3 })]);
    for (const training of [true, false]) {
      const { result, leaked } = await countLeaks(() => pipe.call(x, { training }));
      expect(leaked).toBe(0);
      expect(result.shape).toEqual([4, 3, 3, 3]);
      result.dispose();
    }
    expect(pipe.computeOutputShape([null, 6, 6, 3])).toEqual([null, 3, 3, 3]);
    x.dispose();
  });

  it('round-trips its config through JSON with every layer', () => {
    const pipe = augmentation([new RandomFlip({ mode: 'horizontal', seed: 1, name: 'f' }), new RandomCrop({ height: 2, width: 2, seed: 4, name: 'c' })], { seed: 9, name: 'aug' });
    const config = JSON.parse(JSON.stringify(pipe.getConfig()));
    expect(config).toEqual({
      name: 'aug',
      seed: 9,
      layers: [
        { className: 'RandomFlip', config: { name: 'f', mode: 'horizontal', seed: 1 } },
        { className: 'RandomCrop', config: { name: 'c', height: 2, width: 2, seed: 4 } },
      ],
    });
    expect(Augmentation.fromConfig(config).getConfig()).toEqual(config);
    expect(pipe.className).toBe('Augmentation');
  });
});
