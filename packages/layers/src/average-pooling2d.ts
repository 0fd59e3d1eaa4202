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
    if (this.padding === 'valid') return tf.avgPool(x as tf.Tensor4D, this.poolSize, this.strides, 'valid');
    return samePaddedAvgPool(x as tf.Tensor4D, this.poolSize, this.strides);
  }
}

/** TensorFlow's `same` padding (before, after) along one axis. */
function samePadding(size: number, window: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + window - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Average pooling with `same` padding as TensorFlow defines it (padded positions
 * not counted), built as zero padding + a `valid` window sum + division by the
 * per-window count of real positions.
 * Why not `tf.avgPool(..., 'same')`: its forward is right, but tfjs-backend-cpu's
 * AvgPoolGrad divides by the full window size at the borders, so the gradient
 * disagreed with central differences. The `valid` kernel's gradient is exact.
 */
export function samePaddedAvgPool(x: tf.Tensor4D, pool: [number, number], strides: [number, number]): tf.Tensor4D {
  const [, h, w] = x.shape;
  const [top, bottom] = samePadding(h, pool[0], strides[0]);
  const [left, right] = samePadding(w, pool[1], strides[1]);
  if (top + bottom + left + right === 0) return tf.avgPool(x, pool, strides, 'valid');
  const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
  const sums = tf.mul(tf.avgPool(padded, pool, strides, 'valid'), pool[0] * pool[1]);
  const [, oh, ow] = sums.shape as [number, number, number, number];
  const counts = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    const rows = Math.min(i * strides[0] - top + pool[0], h) - Math.max(i * strides[0] - top, 0);
    for (let j = 0; j < ow; j++) {
      const cols = Math.min(j * strides[1] - left + pool[1], w) - Math.max(j * strides[1] - left, 0);
      counts[i * ow + j] = rows * cols;
    }
  }
  return tf.div(sums, tf.tensor(counts, [1, oh, ow, 1])) as tf.Tensor4D;
}
