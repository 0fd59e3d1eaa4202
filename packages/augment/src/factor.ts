import { badOption } from './errors.js';

/** Keras's factor argument: one number `f` (a symmetric range) or a `[lower, upper]` pair. */
export type Factor = number | readonly [number, number];

export interface FactorRule {
  /** Smallest and largest accepted value of each number. */
  readonly min: number;
  readonly max: number;
  /** How one number `f` becomes a range; Keras differs per layer. */
  readonly scalar: (f: number) => [number, number];
}

/** Keras's common rule: `f` means `[-|f|, |f|]`. */
export const symmetric = (f: number): [number, number] => [-Math.abs(f), Math.abs(f)];

/**
 * Validates a factor and returns its `[lower, upper]` range.
 * Pairs are sorted, as Keras does for zoom and translation.
 */
export function factorRange(operation: string, option: string, factor: unknown, rule: FactorRule): [number, number] {
  const inRange = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= rule.min && v <= rule.max;
  const expected = `a number or a [lower, upper] pair of numbers in [${rule.min}, ${rule.max}]`;
  if (typeof factor === 'number') {
    if (!inRange(factor)) throw badOption(operation, option, expected, factor);
    return rule.scalar(factor);
  }
  if (Array.isArray(factor) && factor.length === 2 && inRange(factor[0]) && inRange(factor[1])) {
    const [a, b] = factor as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  throw badOption(operation, option, expected, factor);
}

/** A factor as it goes into a config (a copy, so later edits of the caller's array do not leak in). */
export function copyFactor(factor: Factor): Factor {
  return typeof factor === 'number' ? factor : [factor[0], factor[1]];
}

