import * as tf from '@tensorflow/tfjs-core';

/**
 * Sums `grad` over its leading axes when `keep` is the trailing shape (a bias or a
 * per-channel scale broadcast over [N, H, W, C]): as grad[R, C]^T x ones[R, 1], one
 * pass over the data. tfjs-backend-wasm's Sum transposes the reduced axes to the end
 * first; at the tutorial's layers (dy [32, 128, 128, 16] ... [32, 32, 32, 64]) the
 * matmul takes 3-4x less time on fresh gradients (measured; with `grad` as the right
 * operand instead, XNNPACK repacks it as weights and it is slower than Sum). Returns
 * null when the reduction is not of that form.
 */
function sumLeadingAxes(grad: tf.Tensor, axes: number[], keep: number[]): tf.Tensor | null {
  if (grad.dtype !== 'float32' || axes.some((a, i) => a !== i)) return null;
  const trailing = grad.shape.slice(axes.length);
  const columns = trailing.reduce((p, d) => p * d, 1);
  const rows = grad.size / Math.max(columns, 1);
  if (columns === 0 || rows === 0 || keep.reduce((p, d) => p * d, 1) !== columns) return null;
  return tf.matMul(tf.reshape(grad, [rows, columns]), tf.ones([rows, 1]), true, false);
}

/** Sums a broadcast gradient back down to the shape of the input it came from. */
export function unbroadcast(grad: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, grad.shape);
  if (axes.length === 0) return tf.reshape(grad, shape);
  const reduced = sumLeadingAxes(grad, axes, shape) ?? tf.sum(grad, axes);
  return tf.reshape(reduced, shape);
}

/** Reads the one upstream gradient of a single-output kernel. */
export function single(dy: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(dy) ? dy[0] : dy;
}
