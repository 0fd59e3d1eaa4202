import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { webgpuBackend } from './webgpu-backend.js';

const plugin = webgpuBackend();
const availability = await plugin.isAvailable();

describe.skipIf(!availability.available)('GPU errors surface as exceptions', () => {
  beforeAll(() => plugin.activate());

  it('a kernel whose shader does not compile fails the next read instead of returning zeros', async () => {
    // tfjs-webgpu 4.22 emits WGSL with a "vec6" type for rank-6 pads, which WGSL lacks.
    const x = tf.ones([1, 1, 1, 1, 1, 2]);
    const padded = tf.pad(x, [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 1]]);
    const error = await padded.data().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CnnkitError);
    expect((error as CnnkitError).code).toBe('GPU_ERROR');
    expect((error as Error).message).toMatch(/^webgpu: the GPU rejected a kernel \(.*\)/);
    tf.dispose([x, padded]);
    // The error is reported once: later reads of good kernels succeed and are right.
    const sum = tf.add(tf.scalar(2), tf.scalar(3));
    expect(Array.from(await sum.data())).toEqual([5]);
    sum.dispose();
  });
});
