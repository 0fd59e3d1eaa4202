import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { defaultRegistry, selectBackend } from '@cnnkit/tensor-core';
import { expect } from 'vitest';

/** Activates the cpu backend (once per test file). */
export async function useCpu(): Promise<void> {
  if (!defaultRegistry.names().includes('cpu')) defaultRegistry.add(cpuBackend());
  await selectBackend({ name: 'cpu' });
}

/** Activates the wasm backend, which trains the synthetic-task model fast enough for a test. */
export async function useWasm(): Promise<void> {
  if (!defaultRegistry.names().includes('wasm')) defaultRegistry.add(wasmBackend());
  await selectBackend({ name: 'wasm' });
}

/** Asserts every value within `tol` (absolute) of the expected values. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`value ${i}: expected ${expected[i]} ± ${tol}, received ${actual[i]}\nall: ${Array.from(actual).join(', ')}`);
    }
  }
}
