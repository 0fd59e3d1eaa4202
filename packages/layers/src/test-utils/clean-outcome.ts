import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { expect } from 'vitest';

/** Per-case time box: a parser that takes longer on a few KiB of input has a pathological path. */
export const CASE_TIME_LIMIT_MS = 2_000;

/**
 * Runs one fuzz case and checks it ended cleanly: a result (handed to `onResult`,
 * which checks it and frees it), or one `CnnkitError` whose single-line message
 * starts with one of `files` — never another exception, a rejection of another kind,
 * a case over the time box, or tensors left behind.
 */
export async function expectCleanOutcome<T>(
  run: () => T | Promise<T>,
  files: readonly string[],
  onResult: (result: T) => void | Promise<void> = () => {},
): Promise<'ok' | 'error'> {
  const before = tf.memory().numTensors;
  const start = performance.now();
  let outcome: 'ok' | 'error';
  try {
    const result = await run();
    await onResult(result);
    outcome = 'ok';
  } catch (error) {
    if (!(error instanceof CnnkitError)) throw new Error(`expected a CnnkitError or success, received ${String(error)}`, { cause: error });
    expect(error.message).not.toMatch(/\n/);
    expect(files.some((f) => error.message.startsWith(f)), `"${error.message}" should start with one of ${files.join(', ')}`).toBe(true);
    outcome = 'error';
  }
  expect(performance.now() - start).toBeLessThan(CASE_TIME_LIMIT_MS);
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
  return outcome;
}
