import { type RngState, tf } from '@cnnkit/tensor-core';
import { copyFactor, factorRange, symmetric, type Factor } from './factor.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, TransformRng, type CallOptions, type ImageShape, type RandomImageTransform } from './image-transform.js';
import { perImage } from './per-image.js';
import { checkValueRange, type ValueRange } from './value-range.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface RandomBrightnessConfig {
  name: string;
  /**
   * In [-1, 1], as a fraction of the value range: `f` adds a random amount in
   * `[-f, f] * (high - low)`; `[lo, hi]` in `[lo, hi] * (high - low)`.
   */
  factor: Factor;
  /** Outputs are clipped to this range; default `[0, 255]`. */
  valueRange: ValueRange;
  seed: number | null;
}

/**
 * Adds one random amount to every pixel and channel of each image, then clips to
 * `valueRange` (Keras `RandomBrightness`).
 *
 * @example
 * ```ts
 * const brightness = new RandomBrightness({ factor: 0.2, seed: 1 }); // +-51 on 0..255
 * const out = brightness.call(images, { training: true });
 * ```
 */
export class RandomBrightness implements RandomImageTransform {
  readonly className = 'RandomBrightness';
  readonly name: string;
  readonly factor: Factor;
  readonly valueRange: ValueRange;
  readonly #range: [number, number];
  readonly #rng: TransformRng;

  constructor(options: Partial<RandomBrightnessConfig> & { factor: Factor }) {
    this.name = options.name ?? defaultName(this.className);
    this.#range = factorRange(this.className, 'factor', options.factor, { min: -1, max: 1, scalar: symmetric });
    this.factor = copyFactor(options.factor);
    this.valueRange = checkValueRange(this.className, options.valueRange ?? [0, 255]);
    this.#rng = new TransformRng(options.seed, this.className);
  }

  get seed(): number | null {
    return this.#rng.seed;
  }

  /** @example `RandomBrightness.fromConfig(brightness.getConfig())` */
  static fromConfig(config: RandomBrightnessConfig): RandomBrightness {
    return new RandomBrightness(config);
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): RandomBrightnessConfig {
    return { name: this.name, factor: copyFactor(this.factor), valueRange: [...this.valueRange], seed: this.seed };
  }

  computeOutputShape(inputShape: ImageShape): (number | null)[] {
    assertImageShape(this.className, inputShape);
    return [...inputShape];
  }

  call(images: tf.Tensor4D, options: CallOptions): tf.Tensor4D {
    assertImages(this.className, images);
    if (!options.training) return images;
    const rng = this.#rng.pick(options);
    const [low, high] = this.valueRange;
    const deltas = Array.from({ length: images.shape[0] }, () => rng.uniform(this.#range[0], this.#range[1]) * (high - low));
    return adjustBrightness(images, deltas, this.valueRange);
  }

  getRngState(): RngState {
    return this.#rng.getState();
  }

  setRngState(state: RngState): void {
    this.#rng.setState(state);
  }
}

/** `x + delta`, clipped; one delta per image. */
export function adjustBrightness(images: tf.Tensor4D, deltas: readonly number[], valueRange: ValueRange): tf.Tensor4D {
  return tf.tidy(() => {
    return tf.clipByValue(tf.add(images, perImage(deltas, images.shape)), valueRange[0], valueRange[1]) as tf.Tensor4D;
  });
}
