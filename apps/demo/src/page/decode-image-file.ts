import type { RawImage } from '@cnnkit/data/pixels';

/**
 * Decodes an image file (a Blob: from the file picker, a drop or a fetch) to
 * interleaved 8-bit RGB, as `decodeImage(file, { colorMode: 'rgb' })` does in Node:
 * - no colour-space conversion (`colorSpaceConversion: 'none'`): the stored values,
 *   not values converted to the display's profile (Node only converts images that
 *   carry an ICC profile, to sRGB; such images can differ by a few levels);
 * - no EXIF rotation (`imageOrientation: 'none'`), like Keras and cnnkit;
 * - alpha dropped, not composited; `premultiplyAlpha: 'none'` keeps the colour of
 *   translucent pixels (fully transparent ones read back as 0: canvas limitation).
 */
export async function decodeImageFile(file: Blob): Promise<RawImage> {
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none', imageOrientation: 'none' });
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('demo: this browser gave no 2D canvas context to read the image pixels from');
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      data[j] = rgba[i];
      data[j + 1] = rgba[i + 1];
      data[j + 2] = rgba[i + 2];
    }
    return { data, width, height, channels: 3 };
  } finally {
    bitmap.close();
  }
}
