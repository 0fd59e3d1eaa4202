import { tf } from '@cnnkit/tensor-core';
import { Pooling2D, type Pooling2DArgs } from './pooling2d.js';

/**
 * Mean over each window (Keras `AveragePooling2D`); with `same` padding the
 * padded positions are not counted, as in TensorFlow.
 *
 * @example
 * ```ts
 * new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' })
 * ```
 */
export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D' as const;

  constructor(args: Pooling2DArgs = {}) {
    super('AveragePooling2D', args);
  }

  static fromConfig(config: Record<string, unknown>): AveragePooling2D {
    return new AveragePooling2D(config as Pooling2DArgs);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return tf.avgPool(x as tf.Tensor4D, this.poolSize, this.strides, this.padding);
  }
}
