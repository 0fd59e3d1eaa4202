import { type RngState, tf } from '@cnnkit/tensor-core';
import { copyFactor, factorRange, type Factor } from './factor.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, TransformRng, type CallOptions, type ImageShape, type RandomImageTransform } from './image-transform.js';
import { channelMeans, perImage, perImageChannel } from './per-image.js';
import { checkValueRange, type ValueRange } from './value-range.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface RandomContrastConfig {
  name: string;
  /**
   * In [0, 1]: `f` draws the contrast factor in `[1 - f, 1 + f]`; `[lo, hi]` draws it
   * in `[1 - lo, 1 + hi]` (Keras's reading of a pair).
   */
  factor: Factor;
  /** Outputs are clipped to this range; default `[0, 255]`. */
  valueRange: ValueRange;
  seed: number | null;
}

/**
 * Scales each image's deviation from its own per-channel mean by a random factor,
 * `(x - mean) * f + mean`, then clips to `valueRange` (Keras `RandomContrast`).
 *
 * @example
 * ```ts
 * const contrast = new RandomContrast({ factor: 0.2, seed: 1 });
 * const out = contrast.call(images, { training: true });
 * ```
 */
export class RandomContrast implements RandomImageTransform {
  readonly className = 'RandomContrast';
  readonly name: string;
  readonly factor: Factor;
  readonly valueRange: ValueRange;
  readonly #range: [number, number];
  readonly #rng: TransformRng;

  constructor(options: Partial<RandomContrastConfig> & { factor: Factor }) {
    this.name = options.name ?? defaultName(this.className);
    // Keras: a pair (lo, hi) means [1 - lo, 1 + hi], so it is not sorted
    const [lo, hi] = factorRange(this.className, 'factor', options.factor, { min: 0, max: 1, scalar: (f) => [f, f] });
    const pair = typeof options.factor === 'number' ? [lo, hi] : [options.factor[0], options.factor[1]];
    this.#range = [1 - pair[0], 1 + pair[1]];
    this.factor = copyFactor(options.factor);
    this.valueRange = checkValueRange(this.className, options.valueRange ?? [0, 255]);
    this.#rng = new TransformRng(options.seed, this.className);
  }

  get seed(): number | null {
    return this.#rng.seed;
  }

  /** @example `RandomContrast.fromConfig(contrast.getConfig())` */
  static fromConfig(config: RandomContrastConfig): RandomContrast {
    return new RandomContrast(config);
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): RandomContrastConfig {
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
    const n = images.shape[0];
    const factors = Array.from({ length: n }, () => rng.uniform(this.#range[0], this.#range[1]));
    return adjustContrast(images, factors, this.valueRange);
  }

  getRngState(): RngState {
    return this.#rng.getState();
  }

  setRngState(state: RngState): void {
    this.#rng.setState(state);
  }
}

/** `(x - mean) * f + mean` per image and channel, clipped; one factor per image. */
export function adjustContrast(images: tf.Tensor4D, factors: readonly number[], valueRange: ValueRange): tf.Tensor4D {
  return tf.tidy(() => {
    const shape = images.shape;
    const f = tf.tensor3d([...factors], [factors.length, 1, 1]);
    // (x - mean) * f + mean = x * f + mean * (1 - f)
    const offset = tf.mul(channelMeans(images), tf.sub(1, f)) as tf.Tensor3D;
    const out = tf.add(tf.mul(images, perImage(factors, shape)), perImageChannel(offset, shape));
    return tf.clipByValue(out, valueRange[0], valueRange[1]) as tf.Tensor4D;
  });
}
