import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { CenterCrop } from './center-crop.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';

describeOnBackends('CenterCrop', () => {
  it('crops the central window (offsets floor((4-2)/2) = 1 and floor((5-3)/2) = 1) at training and at inference', () => {
    const x = tf.tensor4d(Array.from({ length: 20 }, (_, i) => i), [1, 4, 5, 1]);
    for (const training of [true, false]) {
      const out = new CenterCrop({ height: 2, width: 3 }).call(x, { training });
      expect(out.shape).toEqual([1, 2, 3, 1]);
      expect([...out.dataSync()]).toEqual([6, 7, 8, 11, 12, 13]);
      out.dispose();
    }
    x.dispose();
  });

  it('resizes (after an aspect crop) an image smaller than the target, as Keras does', () => {
    const x = tf.tensor4d([0, 10, 20, 30], [1, 2, 2, 1]);
    const out = new CenterCrop({ height: 4, width: 4 }).call(x, { training: false });
    expect(out.shape).toEqual([1, 4, 4, 1]);
    expectClose(out.dataSync().slice(0, 4), [0, 2.5, 7.5, 10], 1e-4);
    tf.dispose([x, out]);
  });

  it('infers the output shape, leaks nothing and round-trips', async () => {
    const c = new CenterCrop({ height: 2, width: 2, name: 'c' });
    expect(c.computeOutputShape([8, 9, 9, 3])).toEqual([8, 2, 2, 3]);
    const x = tf.ones([2, 5, 5, 3]) as tf.Tensor4D;
    const { result, leaked } = await countLeaks(() => c.call(x, { training: true }));
    expect(leaked).toBe(0);
    tf.dispose([x, result]);
    expect(CenterCrop.fromConfig(JSON.parse(JSON.stringify(c.getConfig()))).getConfig()).toEqual({ name: 'c', height: 2, width: 2 });
  });
});
