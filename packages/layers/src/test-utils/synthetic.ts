import { createRng, tf } from '@cnnkit/tensor-core';

/**
 * Two-class synthetic images (raw 0..255 pixels): a 4x4 blob at a random place on
 * a dark noisy background, red for class 0 and blue for class 1.
 */
export function colourBlobs(count: number, size: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D; labels: number[] } {
  const rng = createRng(seed);
  const pixels = new Float32Array(count * size * size * 3);
  const labels: number[] = [];
  for (let n = 0; n < count; n++) {
    const label = rng.int(2);
    labels.push(label);
    for (let i = 0; i < size * size * 3; i++) pixels[n * size * size * 3 + i] = rng.uniform(0, 80);
    const top = rng.int(size - 4);
    const left = rng.int(size - 4);
    for (let r = top; r < top + 4; r++)
      for (let c = left; c < left + 4; c++) {
        const o = ((n * size + r) * size + c) * 3;
        pixels[o] = label === 0 ? 250 : 40;
        pixels[o + 1] = 40;
        pixels[o + 2] = label === 0 ? 40 : 250;
      }
  }
  return { x: tf.tensor4d(pixels, [count, size, size, 3]), y: tf.tensor2d(labels, [count, 1]), labels };
}
