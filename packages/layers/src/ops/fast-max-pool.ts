import { tf } from '@cnnkit/tensor-core';
import { useLocalGradients } from './fast-conv2d.js';
import type { Padding } from '../utils/shape.js';

/**
 * The gradient of max pooling with non-overlapping windows (pool = stride,
 * `valid`), built from fast element-wise ops: each window's gradient goes to its
 * first maximum in row-major order — TensorFlow's tie rule — and rows/columns
 * that no window covers get zero.
 * Why: tfjs-backend-cpu's MaxPoolGrad walks TensorBuffers element by element and
 * dominated the training step of the tutorial model.
 */
export function maxPoolGradient(x: tf.Tensor4D, dy: tf.Tensor4D, pool: [number, number]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [ph, pw] = pool;
  const oh = Math.floor(h / ph);
  const ow = Math.floor(w / pw);
  const covered = oh * ph === h && ow * pw === w ? x : tf.slice(x, [0, 0, 0, 0], [n, oh * ph, ow * pw, c]);
  const windows = tf.reshape(tf.transpose(tf.reshape(covered, [n, oh, ph, ow, pw, c]), [0, 1, 3, 5, 2, 4]), [n, oh, ow, c, ph * pw]);
  // argMax returns the first index of the maximum: TensorFlow's choice on ties.
  const mask = tf.oneHot(tf.argMax(windows, -1), ph * pw, 1, 0, 'float32');
  const spread = tf.mul(mask, tf.expandDims(dy, -1));
  const back = tf.reshape(tf.transpose(tf.reshape(spread, [n, oh, ow, c, ph, pw]), [0, 1, 4, 2, 5, 3]), [n, oh * ph, ow * pw, c]);
  return (oh * ph === h && ow * pw === w ? back : tf.pad(back, [[0, 0], [0, h - oh * ph], [0, w - ow * pw], [0, 0]])) as tf.Tensor4D;
}

/**
 * `tf.maxPool` whose gradient, on the cpu backend and for the common
 * non-overlapping `valid` case, is `maxPoolGradient` (local to this call, nothing
 * registered); other backends and window settings use the registered MaxPool gradient.
 *
 * @example
 * ```ts
 * const y = maxPool(x, [2, 2], [2, 2], 'valid');
 * ```
 */
export function maxPool(x: tf.Tensor4D, pool: [number, number], strides: [number, number], padding: Padding): tf.Tensor4D {
  if (!useLocalGradients() || padding !== 'valid' || pool[0] !== strides[0] || pool[1] !== strides[1]) return tf.maxPool(x, pool, strides, padding);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    save([xi]);
    return {
      value: tf.maxPool(xi, pool, strides, 'valid'),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        maxPoolGradient(saved[0] as tf.Tensor4D, (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor4D, pool),
    };
  });
  return op(x) as tf.Tensor4D;
}
