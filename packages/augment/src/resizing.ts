import { tf } from '@cnnkit/tensor-core';
import { checkOneOf, checkPositiveInteger } from './errors.js';
import { INTERPOLATIONS, type Interpolation } from './fill-mode.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, type CallOptions, type ImageShape, type ImageTransform } from './image-transform.js';
import { cropToAspectAndResize, resizeImages } from './resize-images.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface ResizingConfig {
  name: string;
  height: number;
  width: number;
  /** Default `bilinear`. */
  interpolation: Interpolation;
  /** Centre-crop to the target aspect ratio before resizing, so nothing is stretched. Default false. */
  cropToAspectRatio: boolean;
}

/**
 * Resizes images to `height x width` at training and at inference (Keras `Resizing`).
 *
 * @example
 * ```ts
 * const resize = new Resizing({ height: 180, width: 180, cropToAspectRatio: true });
 * const out = resize.call(images, { training: false });
 * ```
 */
export class Resizing implements ImageTransform {
  readonly className = 'Resizing';
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;

  constructor(options: Partial<ResizingConfig> & { height: number; width: number }) {
    this.name = options.name ?? defaultName(this.className);
    this.height = checkPositiveInteger(this.className, 'height', options.height);
    this.width = checkPositiveInteger(this.className, 'width', options.width);
    this.interpolation = checkOneOf(this.className, 'interpolation', options.interpolation ?? 'bilinear', INTERPOLATIONS);
    this.cropToAspectRatio = options.cropToAspectRatio ?? false;
  }

  /** @example `Resizing.fromConfig(resize.getConfig())` */
  static fromConfig(config: ResizingConfig): Resizing {
    return new Resizing(config);
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): ResizingConfig {
    return {
      name: this.name,
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
    };
  }

  computeOutputShape(inputShape: ImageShape): (number | null)[] {
    assertImageShape(this.className, inputShape);
    return [inputShape[0], this.height, this.width, inputShape[3]];
  }

  call(images: tf.Tensor4D, _options: CallOptions): tf.Tensor4D {
    assertImages(this.className, images);
    return this.cropToAspectRatio
      ? cropToAspectAndResize(images, this.height, this.width, this.interpolation)
      : resizeImages(images, this.height, this.width, this.interpolation);
  }
}
