import { tf } from '@cnnkit/tensor-core';

/*
 * Per-image scalars spread over whole images. Written as outer products (matMul) rather
 * than broadcasts: tfjs-cpu computes a broadcast like [n, 1, 1, 1] + [n, h, w, c] with a
 * per-element index mapping, ~10x slower than equal shapes; a matMul with an inner
 * dimension of 1 writes the same values directly.
 */

/** `values[i]` repeated over image `i`: an `[n, h, w, c]` tensor. */
export function perImage(values: readonly number[], [n, h, w, c]: readonly [number, number, number, number]): tf.Tensor4D {
  return tf.tidy(() => tf.reshape(tf.matMul(tf.tensor2d([...values], [n, 1]), tf.ones([1, h * w * c])), [n, h, w, c]));
}

/** A `[n, 1, c]` per-image, per-channel tensor repeated over each image's pixels: `[n, h, w, c]`. */
export function perImageChannel(values: tf.Tensor3D, [n, h, w, c]: readonly [number, number, number, number]): tf.Tensor4D {
  return tf.tidy(() => tf.reshape(tf.matMul(tf.ones([n, h * w, 1]), values), [n, h, w, c]));
}

/** Each image's per-channel mean, `[n, 1, c]`, as a batched matMul (tf.mean over H, W transposes on cpu). */
export function channelMeans(images: tf.Tensor4D): tf.Tensor3D {
  const [n, h, w, c] = images.shape;
  return tf.tidy(() => tf.matMul(tf.fill([n, 1, h * w], 1 / (h * w)), tf.reshape(images, [n, h * w, c])));
}
