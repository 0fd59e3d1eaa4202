import { tf, type RngState } from '@cnnkit/tensor-core';
import { sampleProjective, type ProjectiveTransform } from './sample-projective.js';
import { checkOneOf } from './errors.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, TransformRng, type CallOptions, type ImageShape, type RandomImageTransform } from './image-transform.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

const IDENTITY: ProjectiveTransform = [1, 0, 0, 0, 1, 0, 0, 0];

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

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
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
    const flips = Array.from({ length: n }, () => rng.next() < 0.5);
    const [, h, w] = images.shape;
    // A flip is an integer-valued affine map, so nearest sampling is an exact gather, and each
    // image gets its own in one batched op (tfjs-cpu's Reverse + Select over a batch is ~5x slower).
    const flipX: ProjectiveTransform = [-1, 0, w - 1, 0, 1, 0, 0, 0];
    const flipY: ProjectiveTransform = [1, 0, 0, 0, -1, h - 1, 0, 0];
    const flipBoth: ProjectiveTransform = [-1, 0, w - 1, 0, -1, h - 1, 0, 0];
    let flip: ProjectiveTransform;
    switch (this.mode) {
      case 'horizontal':
        flip = flipX;
        break;
      case 'vertical':
        flip = flipY;
        break;
      case 'horizontal_and_vertical':
        flip = flipBoth;
        break;
      default: {
        const never: never = this.mode;
        throw new Error(`RandomFlip: unknown mode ${String(never)}`);
      }
    }
    const transforms = flips.map((f) => (f ? flip : IDENTITY));
    return sampleProjective(images, transforms, { interpolation: 'nearest', fillMode: 'nearest', fillValue: 0 });
  }

  getRngState(): RngState {
    return this.#rng.getState();
  }

  setRngState(state: RngState): void {
    this.#rng.setState(state);
  }
}
