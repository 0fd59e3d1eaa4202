import { CnnkitError, createRng, tf } from '@cnnkit/tensor-core';
import type { ImageTransform } from './image-transform.js';

export interface AugmentedPreviewOptions {
  /** How many versions; default 9 (the tutorial's 3x3 grid). */
  count?: number;
  /** Seeds the draws, so the same seed shows the same previews; default: the transform's own streams. */
  seed?: number;
}

/**
 * Augmented versions of one image, for the tutorial's 3x3 preview grid: the image is
 * repeated into a batch and augmented in training mode, each copy with its own draws.
 * Pixels are rounded and clipped to 0..255.
 *
 * @example
 * ```ts
 * const previews = await augmentedPreviews(pixels, [180, 180, 3], dataAugmentation, { seed: 1 });
 * // previews: 9 Uint8Array HWC images of 180 * 180 * 3 bytes
 * ```
 */
export async function augmentedPreviews(
  image: Uint8Array | Float32Array,
  [height, width, channels]: readonly [number, number, number],
  transform: ImageTransform,
  options: AugmentedPreviewOptions = {},
): Promise<Uint8Array[]> {
  const count = options.count ?? 9;
  if (!Number.isInteger(count) || count < 1) {
    throw new CnnkitError('BAD_OPTION', `augmentedPreviews: expected count to be a positive integer, received ${count}`);
  }
  if (image.length !== height * width * channels) {
    throw new CnnkitError(
      'BAD_OPTION',
      `augmentedPreviews: expected ${height}x${width}x${channels} = ${height * width * channels} values, received ${image.length}`,
    );
  }
  const rng = options.seed === undefined ? undefined : createRng(options.seed).fork('preview');
  const pixels = tf.tidy(() => {
    const one = tf.tensor4d(Float32Array.from(image), [1, height, width, channels], 'float32');
    const batch = tf.tile(one, [count, 1, 1, 1]) as tf.Tensor4D;
    const out = transform.call(batch, rng === undefined ? { training: true } : { training: true, rng });
    return tf.cast(tf.clipByValue(tf.round(out), 0, 255), 'int32');
  });
  const [, oh, ow, oc] = transform.computeOutputShape([count, height, width, channels]) as number[];
  const data = await pixels.data();
  pixels.dispose();
  const size = oh * ow * oc;
  return Array.from({ length: count }, (_, i) => Uint8Array.from(data.subarray(i * size, (i + 1) * size)));
}
