import type { SampleDataOptions } from '@cnnkit/data';

/** The sample pictures the fallback model learns from, and the ones it is judged on. */
export interface TinyModelSamples {
  training: Required<Pick<SampleDataOptions, 'seed' | 'perClass' | 'minSize' | 'maxSize'>> & { includeBroken: false };
  heldOut: Required<Pick<SampleDataOptions, 'seed' | 'perClass' | 'minSize' | 'maxSize'>> & { includeBroken: false };
}

/**
 * The two `writeSampleData` recipes for the fallback model trained with `seed`.
 * The held-out pictures come from another seed, so none of them is a training
 * picture; both sets are recorded in model.json, so anyone can write them again
 * and check the accuracy the model claims.
 *
 * 200 pictures per class: with 100 a small CNN learns its training pictures by
 * heart and stalls near 90% on new ones; 200 lift it to about 95% for a few
 * seconds more of training. 100 held-out pictures per class make one
 * mistake worth 0.5 points, fine enough to tell 90% from 95%.
 *
 * @example
 * ```ts
 * const { heldOut } = tinyModelSamples(7);
 * await writeSampleData('held-out', heldOut);
 * ```
 */
export function tinyModelSamples(seed: number): TinyModelSamples {
  return {
    training: { seed, perClass: 200, minSize: 48, maxSize: 96, includeBroken: false },
    heldOut: { seed: seed + 1, perClass: 100, minSize: 48, maxSize: 96, includeBroken: false },
  };
}
