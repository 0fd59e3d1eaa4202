import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { webgpuBackend } from '../webgpu-backend.js';

const plugin = webgpuBackend();
const availability = await plugin.isAvailable();

/** The oracle: output[i] = input[source index of i], by plain index arithmetic. */
function transposeReference(values: number[], shape: number[], perm: number[]): number[] {
  const out = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const result: number[] = [];
  const total = values.length;
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let source = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      const coord = rest % out[i];
      rest = Math.floor(rest / out[i]);
      source += coord * strides[perm[i]];
    }
    result.push(values[source]);
  }
  return result;
}

describe.skipIf(!availability.available)('webgpu Transpose of int32 and bool (tfjs-webgpu\'s does not compile at rank >= 3)', () => {
  beforeAll(() => plugin.activate());

  it.each([
    ['int32', [2, 3, 4], [2, 0, 1]],
    ['int32', [2, 3, 4, 5], [0, 3, 1, 2]],
    ['int32', [2, 1, 3, 2, 2], [4, 3, 2, 1, 0]],
    ['bool', [3, 2, 4], [1, 2, 0]],
    ['bool', [2, 3, 2, 3], [3, 2, 1, 0]],
    ['float32', [2, 3, 4], [2, 0, 1]],
  ] as const)('%s %j perm %j equals index arithmetic', async (dtype, shape, perm) => {
    const size = shape.reduce((a, b) => a * b, 1);
    // Negative ints must survive exactly (the GPU add below is exact up to 2^24).
    const big = dtype === 'int32' ? 8_000_001 : 1000;
    const values = Array.from({ length: size }, (_, i) => (dtype === 'bool' ? ((i * 7) % 3 === 0 ? 1 : 0) : (i % 2 === 0 ? -1 : 1) * (big + i * 131)));
    const stored = dtype === 'bool' ? 'int32' : dtype;
    // Computed on the GPU first, so the transpose reads GPU-resident data.
    const x = tf.tidy(() => tf.add(tf.tensor(values, [...shape], stored), tf.scalar(0, stored)));
    const input = dtype === 'bool' ? tf.cast(x, 'bool') : x;
    const y = tf.transpose(input, [...perm]);
    expect(y.dtype).toBe(dtype);
    expect(y.shape).toEqual(perm.map((p) => shape[p]));
    expect(Array.from(await y.data())).toEqual(transposeReference(values, [...shape], [...perm]));
    tf.dispose([x, input, y]);
  });
});
