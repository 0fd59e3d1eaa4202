import { tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { sampleProjective } from './sample-projective.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { referenceSample } from './test-utils/reference-sampler.js';

// sampleProjective's argument checks (each message names the operation, what it
// expected and what came in), and projective rows with only one of c0, c1 non-zero.

const ok = { interpolation: 'bilinear', fillMode: 'constant', fillValue: 0 } as const;
const identity = [1, 0, 0, 0, 1, 0, 0, 0];

describeOnBackends('sampleProjective argument checks', () => {
  it.each([
    ['2 transforms for 3 images', [3, 2, 2, 1], [identity, identity], ok, 'sampleProjective: expected 1 or 3 transforms (one per image), received 2'],
    ['7 numbers', [1, 2, 2, 1], [[1, 0, 0, 0, 1, 0, 0]], ok, 'sampleProjective: expected transform 0 to be 8 finite numbers, received [1,0,0,0,1,0,0]'],
    ['a NaN', [2, 2, 2, 1], [identity, [1, 0, Number.NaN, 0, 1, 0, 0, 0]], ok, 'sampleProjective: expected transform 1 to be 8 finite numbers, received [1,0,null,0,1,0,0,0]'],
    ['interpolation', [1, 2, 2, 1], [identity], { ...ok, interpolation: 'cubic' }, `sampleProjective: expected interpolation to be one of 'bilinear', 'nearest', received "cubic"`],
    ['fillMode', [1, 2, 2, 1], [identity], { ...ok, fillMode: 'mirror' }, `sampleProjective: expected fillMode to be one of 'reflect', 'wrap', 'constant', 'nearest', received "mirror"`],
    ['fillValue', [1, 2, 2, 1], [identity], { ...ok, fillValue: Number.NaN }, 'sampleProjective: expected fillValue to be a finite number, received NaN'],
    ['output height', [1, 2, 2, 1], [identity], { ...ok, outputSize: [0, 2] }, 'sampleProjective: expected output height to be a positive integer, received 0'],
    ['output width', [1, 2, 2, 1], [identity], { ...ok, outputSize: [2, 1.5] }, 'sampleProjective: expected output width to be a positive integer, received 1.5'],
    ['an empty batch', [0, 2, 2, 1], [identity], { ...ok, outputSize: [2, 2] }, 'sampleProjective: expected a non-empty batch of non-empty images, received shape [0, 2, 2, 1]'],
    // (with an output size: by default it is the input's, and 0 fails that check first)
    ['an empty image', [1, 0, 2, 1], [identity], { ...ok, outputSize: [2, 2] }, 'sampleProjective: expected a non-empty batch of non-empty images, received shape [1, 0, 2, 1]'],
    ['a zero-width image', [1, 2, 0, 1], [identity], { ...ok, outputSize: [2, 2] }, 'sampleProjective: expected a non-empty batch of non-empty images, received shape [1, 2, 0, 1]'],
  ] as const)('rejects %s', (_what, shape, transforms, options, message) => {
    const x = tf.zeros(shape as unknown as [number, number, number, number]) as tf.Tensor4D;
    expect(() => sampleProjective(x, transforms as unknown as number[][], options as never)).toThrow(message);
    x.dispose();
  });
  it('rejects images of 2^24 pixels or more (row indices are float32)', () => {
    const x = tf.zeros([1, 4096, 4096, 1]) as tf.Tensor4D;
    expect(() => sampleProjective(x, [identity], ok)).toThrow('sampleProjective: expected images of fewer than 2^24 pixels, received 4096x4096');
    x.dispose();
  });
  it.each([
    ['c0 only', [1, 0, 0.2, 0, 1, 0.1, 0.15, 0]],
    ['c1 only', [0.9, 0.1, 0, -0.1, 1, 0.3, 0, -0.2]],
  ])('a projective row with %s matches the float64 reference (|diff| <= 1e-3)', (_what, t) => {
    const values = Array.from({ length: 2 * 4 * 5 * 1 }, (_, i) => (i * 17) % 23);
    const x = tf.tensor4d(values, [2, 4, 5, 1]);
    // Image 0 gets the projective row, image 1 the identity: one projective row switches the whole batch to division.
    const out = sampleProjective(x, [t, identity], { interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0 });
    expectClose(out.dataSync(), referenceSample(values, [2, 4, 5, 1], [t, identity], 'bilinear', 'reflect', 0), 1e-3);
    tf.dispose([x, out]);
  });
});
