import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { webgpuBackend } from '../webgpu-backend.js';

const plugin = webgpuBackend();
const availability = await plugin.isAvailable();

describe.skipIf(!availability.available)('webgpu AddN of many tensors (tfjs-webgpu\'s needs more storage buffers than WebGPU allows by default)', () => {
  beforeAll(() => plugin.activate());

  it.each([2, 7, 8, 9, 50, 60])('addN of %i tensors equals the hand sum and leaves no buffer behind', async (n) => {
    // Tensor k holds k + 0.25 * i at index i: the sum at index i is n(n-1)/2 + 0.25 * n * i.
    const inputs = Array.from({ length: n }, (_, k) => tf.tidy(() => tf.add(tf.tensor1d([0, 1, 2, 3].map((i) => k + 0.25 * i)), 0)));
    const before = tf.engine().backend.numDataIds();
    const sum = tf.addN(inputs);
    expect(Array.from(await sum.data())).toEqual([0, 1, 2, 3].map((i) => (n * (n - 1)) / 2 + 0.25 * n * i));
    sum.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose(inputs);
  });
});
