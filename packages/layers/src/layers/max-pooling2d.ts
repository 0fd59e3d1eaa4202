import { tf } from '@cnnkit/tensor-core';
import { maxPool } from '../ops/fast-max-pool.js';
import { Pooling2D, type Pooling2DArgs } from './pooling2d.js';

/**
 * Maximum over each window (Keras `MaxPooling2D`, pool 2 and stride = pool by default).
 *
 * @example
 * ```ts
 * new MaxPooling2D() // halves height and width
 * ```
 */
export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D' as const;

  constructor(args: Pooling2DArgs = {}) {
    super('MaxPooling2D', args);
  }

  static fromConfig(config: Record<string, unknown>): MaxPooling2D {
    return new MaxPooling2D(config as Pooling2DArgs);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return maxPool(x as tf.Tensor4D, this.poolSize, this.strides, this.padding);
  }
}
