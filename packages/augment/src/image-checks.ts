import { assertRank, formatShape, ShapeError, tf } from '@cnnkit/tensor-core';
import type { ImageShape } from './image-transform.js';

/** Checks that `images` is an NHWC float32 batch. */
export function assertImages(operation: string, images: tf.Tensor): asserts images is tf.Tensor4D {
  assertRank(operation, 'images [batch, height, width, channels]', images.shape, 4);
  if (images.dtype !== 'float32') {
    throw new ShapeError(`${operation}: expected float32 images, received dtype ${images.dtype}; cast with tf.cast(images, 'float32')`);
  }
}

/** Checks a symbolic input shape `[batch, height, width, channels]` (null = unknown). */
export function assertImageShape(operation: string, shape: ImageShape): void {
  const ok = shape.length === 4 && shape.every((d) => d === null || (Number.isInteger(d) && d >= 0));
  if (!ok) {
    throw new ShapeError(
      `${operation}: expected an input shape [batch, height, width, channels] of integers or null, received ${formatShape(shape as (number | null)[])}`,
    );
  }
}
