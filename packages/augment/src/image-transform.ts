import { createRng, tf, type Rng, type RngState } from '@cnnkit/tensor-core';

/** `[batch, height, width, channels]`; `null` for a size not known yet. */
export type ImageShape = readonly (number | null)[];

export interface CallOptions {
  /**
   * Random transforms change images only when `true` (training); at inference they
   * return the input tensor itself. Deterministic ones (crop, resize) always apply.
   */
  training: boolean;
  /**
   * Stream to draw this call's random parameters from (it is advanced). Default: the
   * transform's own stream, seeded from its `seed`.
   */
  rng?: Rng;
}

/**
 * The plain interface every transform and every pipeline implements, so a model
 * layer can wrap it without this package depending on the layers package.
 *
 * Ownership: `call` returns either the input tensor itself (when it has nothing to
 * do) or a new tensor; it never disposes its input and leaves no other tensors alive.
 */
export interface ImageTransform {
  readonly name: string;
  readonly className: string;
  getConfig(): object;
  computeOutputShape(inputShape: ImageShape): (number | null)[];
  call(images: tf.Tensor4D, options: CallOptions): tf.Tensor4D;
}

/** A transform that draws random parameters and can save and restore its stream. */
export interface RandomImageTransform extends ImageTransform {
  readonly seed: number | null;
  getRngState(): RngState;
  setRngState(state: RngState): void;
}

const nameCounts = new Map<string, number>();

/** Keras-style default names: `random_flip`, `random_flip_1`, ... */
export function defaultName(className: string): string {
  const base = className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/**
 * The seeded stream of a random transform. Without a seed (Keras's `seed=None`) the
 * stream is seeded from `Math.random`, so runs differ unless a seed is given.
 */
export class TransformRng {
  readonly seed: number | null;
  #rng: Rng;

  constructor(seed: number | null | undefined, label: string) {
    this.seed = seed ?? null;
    // fork by the class name: two transforms with the same seed still draw different streams
    this.#rng = createRng(seed ?? Math.floor(Math.random() * 2 ** 32)).fork(label);
  }

  /** The stream for one call: the caller's, if it passed one. */
  pick(options: CallOptions): Rng {
    return options.rng ?? this.#rng;
  }

  getState(): RngState {
    return this.#rng.getState();
  }

  setState(state: RngState): void {
    this.#rng.setState(state);
  }
}
