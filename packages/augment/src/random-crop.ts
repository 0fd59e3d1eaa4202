import { type RngState, tf } from '@cnnkit/tensor-core';
import { checkPositiveInteger } from './errors.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, TransformRng, type CallOptions, type ImageShape, type RandomImageTransform } from './image-transform.js';
import { translationTransform } from './affine.js';
import { cropToAspectAndResize } from './resize-images.js';
import { sampleProjective } from './sample-projective.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface RandomCropConfig {
  name: string;
  height: number;
  width: number;
  seed: number | null;
}

/**
 * Crops a random `height x width` window out of each image during training (Keras
 * `RandomCrop`). At inference, and in training when an image is smaller than the target,
 * it does what Keras 3 documents: centre-crops the largest window with the target aspect
 * ratio and resizes it (bilinear), so the output size is the same in both modes.
 *
 * Two deliberate differences from Keras 3.x's code: each image gets its own window (Keras
 * uses one per batch), and an image exactly as tall or as wide as the target is still
 * cropped at random (Keras's strict `>` falls back to the centre window there; see
 * keras-team/keras#21868, which also reports its inference path returning the input).
 *
 * @example
 * ```ts
 * const crop = new RandomCrop({ height: 160, width: 160, seed: 9 });
 * const train = crop.call(images, { training: true });  // random windows
 * const infer = crop.call(images, { training: false }); // centre window, resized
 * ```
 */
export class RandomCrop implements RandomImageTransform {
  readonly className = 'RandomCrop';
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly #rng: TransformRng;

  constructor(options: Partial<RandomCropConfig> & { height: number; width: number }) {
    this.name = options.name ?? defaultName(this.className);
    this.height = checkPositiveInteger(this.className, 'height', options.height);
    this.width = checkPositiveInteger(this.className, 'width', options.width);
    this.#rng = new TransformRng(options.seed, this.className);
  }

  get seed(): number | null {
    return this.#rng.seed;
  }

  /** @example `RandomCrop.fromConfig(crop.getConfig())` */
  static fromConfig(config: RandomCropConfig): RandomCrop {
    return new RandomCrop(config);
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): RandomCropConfig {
    return { name: this.name, height: this.height, width: this.width, seed: this.seed };
  }

  computeOutputShape(inputShape: ImageShape): (number | null)[] {
    assertImageShape(this.className, inputShape);
    return [inputShape[0], this.height, this.width, inputShape[3]];
  }

  call(images: tf.Tensor4D, options: CallOptions): tf.Tensor4D {
    assertImages(this.className, images);
    const [n, h, w] = images.shape;
    if (!options.training || h < this.height || w < this.width) {
      return cropToAspectAndResize(images, this.height, this.width, 'bilinear');
    }
    const rng = this.#rng.pick(options);
    // Integer offsets read whole pixels: nearest sampling of a pure shift is an exact gather.
    const transforms = Array.from({ length: n }, () => {
      const top = rng.int(h - this.height + 1);
      const left = rng.int(w - this.width + 1);
      return translationTransform(-top, -left);
    });
    return sampleProjective(images, transforms, {
      interpolation: 'nearest',
      fillMode: 'nearest',
      fillValue: 0,
      outputSize: [this.height, this.width],
    });
  }

  getRngState(): RngState {
    return this.#rng.getState();
  }

  setRngState(state: RngState): void {
    this.#rng.setState(state);
  }
}
