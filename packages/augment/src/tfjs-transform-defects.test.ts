import { tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { describeOnBackends } from './test-utils/backends.js';

/*
 * Pins the tfjs 4.22 kernel defects that shaped sampleProjective: tf.image.transform
 * (Transform kernel) is wrong on both backends, so sampling is built from gathers, and
 * gather's batchDims is wrong on wasm, so the gather is a flat one. If one of these starts failing, tfjs changed the kernel:
 * re-check it against test-utils/reference-sampler.ts before relying on it.
 */
describeOnBackends('tf.image.transform in tfjs 4.22', (backend) => {
  it('fills every image after the first with fillValue on cpu (kernel returns inside its batch loop)', () => {
    const images = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    const identity = tf.tensor2d([[1, 0, 0, 0, 1, 0, 0, 0]]);
    const out = tf.image.transform(images, identity, 'nearest', 'constant', -1);
    const second = [...out.dataSync()].slice(4);
    if (backend === 'cpu') expect(second).toEqual([-1, -1, -1, -1]);
    else expect(second).toEqual([5, 6, 7, 8]);
    tf.dispose([images, identity, out]);
  });

  it("maps negative coordinates in 'reflect' mode to the wrong side on wasm (-2 and -1 both read the last pixel)", () => {
    // row 1 2 3 4, output x reads x - 2: reflect should give 2 1 1 2
    const row = tf.tensor4d([1, 2, 3, 4], [1, 1, 4, 1]);
    const shift = tf.tensor2d([[1, 0, -2, 0, 1, 0, 0, 0]]);
    const out = tf.image.transform(row, shift, 'nearest', 'reflect', 0);
    if (backend === 'wasm') expect([...out.dataSync()]).toEqual([4, 4, 1, 2]);
    else expect([...out.dataSync()]).toEqual([2, 1, 1, 2]);
    tf.dispose([row, shift, out]);
  });

  it('gathers wrong rows with batchDims = 1 on wasm (the second batch reads other indices)', () => {
    const x = tf.tensor3d([[[1, 5], [2, 6], [3, 7]], [[10, 50], [20, 60], [30, 70]]]);
    const indices = tf.tensor2d([[0, 2, 1, 1], [2, 2, 0, 1]], [2, 4], 'int32');
    const out = tf.gather(x, indices, 1, 1);
    const correct = [[[1, 5], [3, 7], [2, 6], [2, 6]], [[30, 70], [30, 70], [10, 50], [20, 60]]];
    if (backend === 'wasm') expect(out.arraySync()).toEqual([correct[0], [[20, 60], [20, 60], [30, 70], [30, 70]]]);
    else expect(out.arraySync()).toEqual(correct);
    tf.dispose([x, indices, out]);
  });
});
