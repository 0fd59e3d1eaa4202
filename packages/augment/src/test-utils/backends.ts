import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { BackendRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect } from 'vitest';

export const BACKENDS = ['cpu', 'wasm'] as const;
const registry = new BackendRegistry().add(cpuBackend()).add(wasmBackend());

/** Runs the same suite once per backend (the suites run in order, so switching is safe). */
export function describeOnBackends(title: string, suite: (backend: (typeof BACKENDS)[number]) => void): void {
  for (const backend of BACKENDS) {
    describe(`${title} [${backend}]`, () => {
      beforeAll(async () => {
        await selectBackend({ name: backend, registry });
        expect(tf.getBackend()).toBe(backend);
      });
      suite(backend);
    });
  }
}

/** An NHWC float32 batch from nested arrays, e.g. `images([[[1, 2], [3, 4]]])` is [1, 2, 2, 1]. */
export function imagesFrom(values: number[][][][]): tf.Tensor4D {
  return tf.tensor4d(values);
}

/** Element-wise closeness with the largest difference in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect(worst, `largest difference ${worst} at flat index ${at}: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tolerance);
}
