import { type RngState, tf } from '@cnnkit/tensor-core';
import { rotationTransform } from './affine.js';
import { copyFactor, factorRange, symmetric, type Factor } from './factor.js';
import { resolveFill, type FillOptions } from './fill-mode.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, TransformRng, type CallOptions, type ImageShape, type RandomImageTransform } from './image-transform.js';
import { sampleProjective } from './sample-projective.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface RandomRotationConfig extends FillOptions {
  name: string;
  /**
   * Fraction of a full turn, in [-1, 1]: `f` draws angles in `[-f, f] * 360` degrees,
   * `[lo, hi]` in `[lo, hi] * 360`. Positive turns counter-clockwise.
   */
  factor: Factor;
  seed: number | null;
}

/**
 * Rotates each image by its own random angle about its centre (Keras `RandomRotation`).
 *
 * @example
 * ```ts
 * const rotate = new RandomRotation({ factor: 0.1, seed: 7 }); // up to +-36 degrees
 * const out = rotate.call(images, { training: true });
 * ```
 */
export class RandomRotation implements RandomImageTransform {
  readonly className = 'RandomRotation';
  readonly name: string;
  readonly factor: Factor;
  readonly fill: FillOptions;
  readonly #range: [number, number];
  readonly #rng: TransformRng;

  constructor(options: Partial<RandomRotationConfig> & { factor: Factor }) {
    this.name = options.name ?? defaultName(this.className);
    this.#range = factorRange(this.className, 'factor', options.factor, { min: -1, max: 1, scalar: symmetric });
    this.factor = copyFactor(options.factor);
    this.fill = resolveFill(this.className, options);
    this.#rng = new TransformRng(options.seed, this.className);
  }

  get seed(): number | null {
    return this.#rng.seed;
  }

  /** @example `RandomRotation.fromConfig(rotate.getConfig())` */
  static fromConfig(config: RandomRotationConfig): RandomRotation {
    return new RandomRotation(config);
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): RandomRotationConfig {
    return { name: this.name, factor: copyFactor(this.factor), ...this.fill, seed: this.seed };
  }

  computeOutputShape(inputShape: ImageShape): (number | null)[] {
    assertImageShape(this.className, inputShape);
    return [...inputShape];
  }

  call(images: tf.Tensor4D, options: CallOptions): tf.Tensor4D {
    assertImages(this.className, images);
    if (!options.training) return images;
    const rng = this.#rng.pick(options);
    const [n, h, w] = images.shape;
    const [lo, hi] = this.#range;
    const transforms = Array.from({ length: n }, () => rotationTransform(rng.uniform(lo, hi) * 2 * Math.PI, h, w));
    return sampleProjective(images, transforms, this.fill);
  }

  getRngState(): RngState {
    return this.#rng.getState();
  }

  setRngState(state: RngState): void {
    this.#rng.setState(state);
  }
}
