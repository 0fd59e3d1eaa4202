import { CnnkitError, tf } from '@cnnkit/tensor-core';
import type { Interpolation } from './fill-mode.js';

/**
 * Resizes a batch with TensorFlow's `tf.image.resize` convention (half-pixel centres,
 * no antialiasing), which Keras's Resizing uses. Returns the input itself when the size
 * is already right.
 */
export function resizeImages(images: tf.Tensor4D, height: number, width: number, interpolation: Interpolation): tf.Tensor4D {
  if (images.shape[1] === height && images.shape[2] === width) return images;
  switch (interpolation) {
    case 'bilinear':
      return tf.image.resizeBilinear(images, [height, width], false, true);
    case 'nearest':
      return tf.image.resizeNearestNeighbor(images, [height, width], false, true);
    default: {
      const never: never = interpolation;
      throw new CnnkitError('BAD_OPTION', `resizeImages: unknown interpolation ${String(never)}`);
    }
  }
}

/**
 * The largest centred window of an `inHeight x inWidth` image with the aspect ratio of
 * `height x width` (Keras's `crop_to_aspect_ratio` and RandomCrop's inference window).
 */
export function aspectCropWindow(
  inHeight: number,
  inWidth: number,
  height: number,
  width: number,
): { top: number; left: number; height: number; width: number } {
  const cropHeight = Math.max(Math.min(inHeight, Math.floor((inWidth * height) / width)), 1);
  const cropWidth = Math.max(Math.min(inWidth, Math.floor((inHeight * width) / height)), 1);
  return {
    top: Math.floor((inHeight - cropHeight) / 2),
    left: Math.floor((inWidth - cropWidth) / 2),
    height: cropHeight,
    width: cropWidth,
  };
}

/** Centre crop to the target aspect ratio, then resize to `height x width`. */
export function cropToAspectAndResize(
  images: tf.Tensor4D,
  height: number,
  width: number,
  interpolation: Interpolation,
): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const win = aspectCropWindow(h, w, height, width);
  if (win.height === h && win.width === w) return resizeImages(images, height, width, interpolation);
  return tf.tidy(() => {
    const cropped = tf.slice(images, [0, win.top, win.left, 0], [n, win.height, win.width, c]);
    const out = resizeImages(cropped, height, width, interpolation);
    // slice of the same size is a new tensor already; tidy keeps only the returned one
    return out;
  });
}
