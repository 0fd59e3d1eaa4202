import { CnnkitError } from '@cnnkit/tensor-core';

/**
 * An option outside what a transform accepts. The message names the operation, the
 * option, what was expected and what came in, so the CLI can print it as one line.
 */
export function badOption(operation: string, option: string, expected: string, received: unknown): CnnkitError {
  return new CnnkitError('BAD_OPTION', `${operation}: expected ${option} to be ${expected}, received ${describeValue(received)}`);
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Checks a positive integer option (an output height or width). */
export function checkPositiveInteger(operation: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw badOption(operation, option, 'a positive integer', value);
  }
  return value;
}

/** Checks a finite number option. */
export function checkFinite(operation: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badOption(operation, option, 'a finite number', value);
  return value;
}

/** Checks a string option against its allowed values. */
export function checkOneOf<T extends string>(operation: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badOption(operation, option, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}
