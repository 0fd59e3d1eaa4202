import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { Resizing } from './resizing.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';

describeOnBackends('Resizing', () => {
  it('bilinear 2x2 -> 4x4 with half-pixel centres (tf.image.resize), hand-computed', () => {
    // 1-D: [0, 10] -> sample points -0.25, 0.25, 0.75, 1.25 (clamped) -> 0, 2.5, 7.5, 10
    const x = tf.tensor4d([0, 10, 20, 30], [1, 2, 2, 1]);
    const out = new Resizing({ height: 4, width: 4 }).call(x, { training: false });
    const top = [0, 2.5, 7.5, 10];
    const bottom = [20, 22.5, 27.5, 30];
    const mix = (w: number) => top.map((t, i) => t * (1 - w) + bottom[i] * w);
    expect(out.shape).toEqual([1, 4, 4, 1]);
    expectClose(out.dataSync(), [...top, ...mix(0.25), ...mix(0.75), ...bottom], 1e-4);
    tf.dispose([x, out]);
  });

  it('nearest 2x2 -> 4x4 repeats each pixel 2x2', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const out = new Resizing({ height: 4, width: 4, interpolation: 'nearest' }).call(x, { training: true });
    expect([...out.dataSync()]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    tf.dispose([x, out]);
  });

  it('cropToAspectRatio: a 4x6 ramp -> 2x2 centre-crops the 4x4 window at column 1, then averages 2x2 blocks', () => {
    const x = tf.tensor4d(Array.from({ length: 24 }, (_, i) => i), [1, 4, 6, 1]);
    const out = new Resizing({ height: 2, width: 2, cropToAspectRatio: true }).call(x, { training: false });
    expectClose(out.dataSync(), [4.5, 6.5, 16.5, 18.5], 1e-4);
    const stretched = new Resizing({ height: 2, width: 2 }).call(x, { training: false });
    // the whole width, stretched: rows read 0.5 and 2.5, columns (o + 0.5) * 3 - 0.5 = 1 and 4
    expectClose(stretched.dataSync(), [4, 7, 16, 19], 1e-4);
    tf.dispose([x, out, stretched]);
  });

  it('infers the output shape, leaks nothing, round-trips, and validates sizes', async () => {
    const r = new Resizing({ height: 3, width: 5, name: 'r' });
    expect(r.computeOutputShape([null, 10, 10, 3])).toEqual([null, 3, 5, 3]);
    const x = tf.ones([2, 6, 7, 3]) as tf.Tensor4D;
    const { result, leaked } = await countLeaks(() => new Resizing({ height: 3, width: 5, cropToAspectRatio: true }).call(x, { training: false }));
    expect(leaked).toBe(0);
    expect(result.shape).toEqual([2, 3, 5, 3]);
    tf.dispose([x, result]);
    expect(Resizing.fromConfig(JSON.parse(JSON.stringify(r.getConfig()))).getConfig()).toEqual({
      name: 'r', height: 3, width: 5, interpolation: 'bilinear', cropToAspectRatio: false,
    });
    expect(() => new Resizing({ height: 0, width: 5 })).toThrow('Resizing: expected height to be a positive integer, received 0');
  });
});
