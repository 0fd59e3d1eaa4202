import { tf, type RngState } from '@cnnkit/tensor-core';
import { checkOneOf } from './errors.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, TransformRng, type CallOptions, type ImageShape, type RandomImageTransform } from './image-transform.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
export const FLIP_MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

export interface RandomFlipConfig {
  name: string;
  /** Default `horizontal_and_vertical` (Keras's default). */
  mode: FlipMode;
  seed: number | null;
}

/**
 * Flips each image of a batch with probability 1/2 (Keras `RandomFlip`). As in Keras 3,
 * `horizontal_and_vertical` draws ONE coin per image and applies both flips when it
 * comes up, so an image is either unchanged or turned by 180 degrees.
 *
 * @example
 * ```ts
 * const flip = new RandomFlip({ mode: 'horizontal', seed: 42 });
 * const out = flip.call(images, { training: true });
 * ```
 */
export class RandomFlip implements RandomImageTransform {
  readonly className = 'RandomFlip';
  readonly name: string;
  readonly mode: FlipMode;
  readonly #rng: TransformRng;

  constructor(options: Partial<RandomFlipConfig> = {}) {
    this.name = options.name ?? defaultName(this.className);
    this.mode = checkOneOf(this.className, 'mode', options.mode ?? 'horizontal_and_vertical', FLIP_MODES);
    this.#rng = new TransformRng(options.seed, this.className);
  }

  get seed(): number | null {
    return this.#rng.seed;
  }

  /** @example `RandomFlip.fromConfig(flip.getConfig())` */
  static fromConfig(config: RandomFlipConfig): RandomFlip {
    return new RandomFlip(config);
  }

  getConfig(): RandomFlipConfig {
    return { name: this.name, mode: this.mode, seed: this.seed };
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
    const flips = Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    return tf.tidy(() => {
      let flipped: tf.Tensor4D;
      switch (this.mode) {
        case 'horizontal':
          flipped = tf.reverse(images, 2);
          break;
        case 'vertical':
          flipped = tf.reverse(images, 1);
          break;
        case 'horizontal_and_vertical':
          flipped = tf.reverse(images, [1, 2]);
          break;
        default: {
          const never: never = this.mode;
          throw new Error(`RandomFlip: unknown mode ${String(never)}`);
        }
      }
      // a select, not arithmetic blending, so kept and flipped pixels are bit-exact
      const mask = tf.cast(tf.tensor4d(flips, [n, 1, 1, 1], 'int32'), 'bool');
      return tf.where(tf.broadcastTo(mask, images.shape), flipped, images);
    });
  }

  getRngState(): RngState {
    return this.#rng.getState();
  }

  setRngState(state: RngState): void {
    this.#rng.setState(state);
  }
}
