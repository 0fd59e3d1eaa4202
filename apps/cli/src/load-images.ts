import { decodeImage, resizeImage } from '@cnnkit/data';

/**
 * Decodes image files and resizes them to the model's input exactly as training
 * did (bilinear, no crop), as one float32 NHWC batch of raw 0..255 pixels.
 * A file that is not an image fails with its name and the reason.
 */
export async function loadImageBatch(files: readonly string[], [h, w]: [number, number]): Promise<Float32Array> {
  const out = new Float32Array(files.length * h * w * 3);
  for (let i = 0; i < files.length; i++) {
    const img = await resizeImage(await decodeImage(files[i], { colorMode: 'rgb' }), [h, w]);
    out.set(img.data, i * h * w * 3);
  }
  return out;
}
