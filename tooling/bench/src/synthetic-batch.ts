/** A fixed batch of raw 0..255 NHWC pixels and 0/1 labels; every engine gets the same bytes. */
export interface SyntheticBatch {
  images: Float32Array;
  labels: Float32Array;
  batch: number;
  size: number;
}

/**
 * Deterministic pseudo-random pixels (an LCG, so the Python peer could reproduce it).
 * Content does not change the arithmetic of a CNN step; it only has to be finite and varied.
 */
export function syntheticBatch(size: number, batch: number, seed = 12345): SyntheticBatch {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const images = new Float32Array(batch * size * size * 3);
  for (let i = 0; i < images.length; i++) images[i] = Math.floor(next() * 256);
  const labels = new Float32Array(batch);
  for (let i = 0; i < batch; i++) labels[i] = i % 2;
  return { images, labels, batch, size };
}
