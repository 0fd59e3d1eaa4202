import { tf } from '@cnnkit/tensor-core';
import { checkPositiveInteger } from './errors.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, type CallOptions, type ImageShape, type ImageTransform } from './image-transform.js';
import { cropToAspectAndResize } from './resize-images.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface CenterCropConfig {
  name: string;
  height: number;
  width: number;
}

/**
 * Crops the central `height x width` window, at training and at inference (Keras
 * `CenterCrop`). An image smaller than the target in either side is instead centre-cropped
 * to the target aspect ratio and resized (bilinear), as Keras does.
 *
 * @example
 * ```ts
 * const crop = new CenterCrop({ height: 160, width: 160 });
 * const out = crop.call(images, { training: false });
 * ```
 */
export class CenterCrop implements ImageTransform {
  readonly className = 'CenterCrop';
  readonly name: string;
  readonly height: number;
  readonly width: number;

  constructor(options: Partial<CenterCropConfig> & { height: number; width: number }) {
    this.name = options.name ?? defaultName(this.className);
    this.height = checkPositiveInteger(this.className, 'height', options.height);
    this.width = checkPositiveInteger(this.className, 'width', options.width);
  }

  /** @example `CenterCrop.fromConfig(crop.getConfig())` */
  static fromConfig(config: CenterCropConfig): CenterCrop {
    return new CenterCrop(config);
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): CenterCropConfig {
    return { name: this.name, height: this.height, width: this.width };
  }

  computeOutputShape(inputShape: ImageShape): (number | null)[] {
    assertImageShape(this.className, inputShape);
    return [inputShape[0], this.height, this.width, inputShape[3]];
  }

  call(images: tf.Tensor4D, _options: CallOptions): tf.Tensor4D {
    assertImages(this.className, images);
    const [n, h, w, c] = images.shape;
    if (h < this.height || w < this.width) return cropToAspectAndResize(images, this.height, this.width, 'bilinear');
    if (h === this.height && w === this.width) return images;
    const top = Math.floor((h - this.height) / 2);
    const left = Math.floor((w - this.width) / 2);
    return tf.slice(images, [0, top, left, 0], [n, this.height, this.width, c]);
  }
}
