import { CnnkitError } from '@cnnkit/tensor-core';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { GlobalAveragePooling2D } from '../layers/global-pooling2d.js';
import { MaxPooling2D } from '../layers/max-pooling2d.js';
import { Rescaling } from '../layers/rescaling.js';
import { Sequential, type LayerLike } from './sequential.js';

export interface SeedCnnOptions {
  /** `[height, width]` of the RGB input. */
  imageSize: readonly [number, number];
  /** 2 → one sigmoid unit; more → softmax over the classes. */
  numClasses: number;
  /**
   * Layers inserted right after the input, before rescaling (the slot for
   * random augmentation layers, which are identity at inference): layers, or
   * `@cnnkit/augment` transforms as they are (`[new RandomFlip(), new RandomRotation({ factor: 0.1 })]`).
   */
  augmentation?: readonly LayerLike[];
  /** Default 0. */
  seed?: number;
  name?: string;
}

/**
 * The tutorial's small CNN: Rescaling(1/255), four Conv2D(3x3, same, relu) blocks
 * of 16/32/64/128 filters each followed by MaxPooling2D, GlobalAveragePooling2D,
 * then Dense(1, sigmoid) for two classes or Dense(n, softmax). At 300x300x3 with
 * two classes it has 97,569 parameters. Takes raw 0..255 pixels.
 *
 * @example
 * ```ts
 * const model = seedCnn({ imageSize: [180, 180], numClasses: 2 });
 * model.summary(console.log);
 * ```
 */
export function seedCnn(options: SeedCnnOptions): Sequential {
  const { imageSize, numClasses } = options;
  if (!Array.isArray(imageSize) || imageSize.length !== 2 || imageSize.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new CnnkitError('INVALID_ARGUMENT', `seedCnn: expected imageSize [height, width] of positive integers, received ${JSON.stringify(imageSize)}`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new CnnkitError('INVALID_ARGUMENT', `seedCnn: expected numClasses an integer >= 2, received ${numClasses}`);
  }
  const model = new Sequential({ inputShape: [imageSize[0], imageSize[1], 3], seed: options.seed, name: options.name });
  for (const layer of options.augmentation ?? []) model.add(layer);
  model.add(new Rescaling({ scale: 1 / 255 }));
  for (const filters of [16, 32, 64, 128]) {
    model.add(new Conv2D({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(new MaxPooling2D());
  }
  model.add(new GlobalAveragePooling2D());
  model.add(numClasses === 2 ? new Dense({ units: 1, activation: 'sigmoid' }) : new Dense({ units: numClasses, activation: 'softmax' }));
  return model;
}
