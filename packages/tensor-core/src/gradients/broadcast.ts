import * as tf from '@tensorflow/tfjs-core';

/** Sums a broadcast gradient back down to the shape of the input it came from. */
export function unbroadcast(grad: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, grad.shape);
  const reduced = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(reduced, shape);
}

/** Reads the one upstream gradient of a single-output kernel. */
export function single(dy: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(dy) ? dy[0] : dy;
}
