import { badOption } from './errors.js';

/** `[low, high]` of the pixel values; Keras's default for raw images is `[0, 255]`. */
export type ValueRange = readonly [number, number];

export function checkValueRange(operation: string, value: unknown): [number, number] {
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    value[0] < value[1]
  ) {
    return [value[0], value[1]];
  }
  throw badOption(operation, 'valueRange', 'a [low, high] pair of finite numbers with low < high', value);
}
