import { cpuBackend } from '@cnnkit/backend-cpu';
import { BackendRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from '../wasm-backend.js';

describe('OneHot on wasm', () => {
  it.each([
    // [indices, depth, on, off, dtype]
    [[0, 2, 1], 3, 1, 0, 'float32'],
    [[0, 2], 3, 0.9, 0.05, 'float32'],
    [[1, -1, 3], 4, 1, 0, 'int32'],
    [[1, 0], 2, 5, -2, 'int32'],
  ] as const)('indices %j depth %i on %f off %f %s equals the literal one-hot and cpu', async (indices, depth, on, off, dtype) => {
    const expected = indices.flatMap((i) => Array.from({ length: depth }, (_, j) => Math.fround(j === i ? on : off)));
    const registry = new BackendRegistry().add(cpuBackend()).add(wasmBackend());
    const results: Record<string, number[]> = {};
    for (const name of ['cpu', 'wasm'] as const) {
      await selectBackend({ name, registry });
      const before = tf.engine().backend.numDataIds();
      const t = tf.oneHot(tf.tensor1d([...indices], 'int32'), depth, on, off, dtype);
      expect(t.dtype).toBe(dtype);
      results[name] = Array.from(t.dataSync());
      tf.dispose(t);
      expect(tf.engine().backend.numDataIds()).toBe(before + 1); // only the indices tensor, still in scope
    }
    expect(results.wasm).toEqual(expected);
    expect(results.cpu).toEqual(expected);
  });
});
