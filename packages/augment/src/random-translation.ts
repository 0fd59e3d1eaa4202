import { type RngState, tf } from '@cnnkit/tensor-core';
import { translationTransform } from './affine.js';
import { copyFactor, factorRange, symmetric, type Factor } from './factor.js';
import { resolveFill, type FillOptions } from './fill-mode.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, TransformRng, type CallOptions, type ImageShape, type RandomImageTransform } from './image-transform.js';
import { sampleProjective } from './sample-projective.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface RandomTranslationConfig extends FillOptions {
  name: string;
  /** Vertical shift as a fraction of the height, in [-1, 1]: `f` means `[-f, f]`; positive moves down. */
  heightFactor: Factor;
  /** Horizontal shift as a fraction of the width, in [-1, 1]; positive moves right. */
  widthFactor: Factor;
  seed: number | null;
}

const RULE = { min: -1, max: 1, scalar: symmetric };

/**
 * Shifts each image by its own random offset (Keras `RandomTranslation`).
 *
 * @example
 * ```ts
 * const shift = new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 5 });
 * const out = shift.call(images, { training: true });
 * ```
 */
export class RandomTranslation implements RandomImageTransform {
  readonly className = 'RandomTranslation';
  readonly name: string;
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  readonly fill: FillOptions;
  readonly #heightRange: [number, number];
  readonly #widthRange: [number, number];
  readonly #rng: TransformRng;

  constructor(options: Partial<RandomTranslationConfig> & { heightFactor: Factor; widthFactor: Factor }) {
    this.name = options.name ?? defaultName(this.className);
    this.#heightRange = factorRange(this.className, 'heightFactor', options.heightFactor, RULE);
    this.#widthRange = factorRange(this.className, 'widthFactor', options.widthFactor, RULE);
    this.heightFactor = copyFactor(options.heightFactor);
    this.widthFactor = copyFactor(options.widthFactor);
    this.fill = resolveFill(this.className, options);
    this.#rng = new TransformRng(options.seed, this.className);
  }

  get seed(): number | null {
    return this.#rng.seed;
  }

  /** @example `RandomTranslation.fromConfig(shift.getConfig())` */
  static fromConfig(config: RandomTranslationConfig): RandomTranslation {
    return new RandomTranslation(config);
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): RandomTranslationConfig {
    return {
      name: this.name,
      heightFactor: copyFactor(this.heightFactor),
      widthFactor: copyFactor(this.widthFactor),
      ...this.fill,
      seed: this.seed,
    };
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
    const transforms = Array.from({ length: n }, () => {
      const dy = rng.uniform(this.#heightRange[0], this.#heightRange[1]) * h;
      const dx = rng.uniform(this.#widthRange[0], this.#widthRange[1]) * w;
      return translationTransform(dy, dx);
    });
    return sampleProjective(images, transforms, this.fill);
  }

  getRngState(): RngState {
    return this.#rng.getState();
  }

  setRngState(state: RngState): void {
    this.#rng.setState(state);
  }
}
