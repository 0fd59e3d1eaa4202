import { checkFinite, checkOneOf } from './errors.js';

/**
 * How points outside the input are filled (Keras's `fill_mode`), for an input row `a b c d`:
 * - `reflect`: `d c b a | a b c d | d c b a` (mirrored about the edge of the last pixel)
 * - `wrap`: `a b c d | a b c d | a b c d`
 * - `constant`: `k k k k | a b c d | k k k k` with `k = fillValue`
 * - `nearest`: `a a a a | a b c d | d d d d`
 */
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];

/** How a value between pixel centres is read. */
export type Interpolation = 'bilinear' | 'nearest';
export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest'];

/** The fill options shared by the geometric layers, with Keras's defaults. */
export interface FillOptions {
  /** Default `reflect`. */
  fillMode: FillMode;
  /** Default `bilinear`. */
  interpolation: Interpolation;
  /** Used by `constant`; default 0. */
  fillValue: number;
}

export function resolveFill(operation: string, options: Partial<FillOptions>): FillOptions {
  return {
    fillMode: checkOneOf(operation, 'fillMode', options.fillMode ?? 'reflect', FILL_MODES),
    interpolation: checkOneOf(operation, 'interpolation', options.interpolation ?? 'bilinear', INTERPOLATIONS),
    fillValue: checkFinite(operation, 'fillValue', options.fillValue ?? 0),
  };
}
