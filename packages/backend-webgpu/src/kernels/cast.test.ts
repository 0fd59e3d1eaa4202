import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { webgpuBackend } from '../webgpu-backend.js';

const plugin = webgpuBackend();
const availability = await plugin.isAvailable();

describe.skipIf(!availability.available)('webgpu Cast to float32 converts GPU-resident int32 and bool values', () => {
  beforeAll(() => plugin.activate());

  it('a bool mask cast to float32 and summed over non-inner axes counts the true cells (hand-computed)', async () => {
    // [1, 2, 3, 2]: x > 0 is true at 4 cells of channel 0 and 1 cell of channel 1.
    const x = tf.tensor4d([1, -1, 2, 3, -4, -5, 6, -7, 8, -9, 10, 11], [1, 2, 3, 2]);
    const mask = tf.greater(x, 0);
    const counts = tf.sum(tf.cast(mask, 'float32'), [1, 2]);
    expect(Array.from(await counts.data())).toEqual([5, 2]);
    tf.dispose([x, mask, counts]);
  });

  it('int32 computed on the GPU keeps its values as float32, negative ones too', async () => {
    const ints = tf.sub(tf.tensor1d([5, 0, -3, 1 << 20], 'int32'), tf.scalar(2, 'int32'));
    const floats = tf.cast(ints, 'float32');
    // A copy kernel (transpose of a rank-3 view) reads the buffer as float32 words.
    const copied = tf.transpose(tf.reshape(floats, [2, 1, 2]), [2, 1, 0]);
    // [2, 1, 2] -> [2, 1, 2] with axes 0 and 2 swapped: out(k, 0, i) = v[2i + k].
    expect(Array.from(await copied.data())).toEqual([3, -5, -2, (1 << 20) - 2]);
    tf.dispose([ints, floats, copied]);
  });
});
