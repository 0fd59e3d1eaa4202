import { describe, expect, it } from 'vitest';
import { resizeImage } from './resize-image.js';
import { PIXEL_INTERPOLATIONS, resizePixels, type RawImage } from './resize-pixels.js';

describe('resizePixels (the browser-safe resizes)', () => {
  // Expected values: tf.image.resize (half-pixel centres), worked by hand.
  it.each<[string, RawImage, [number, number], number[]]>([
    ['bilinear up 2x: (0.25, 0.75) lerps, edges clamp', { data: Uint8Array.from([0, 100]), width: 2, height: 1, channels: 1 }, [1, 4], [0, 25, 75, 100]],
    ['bilinear down 2x averages the 2x2 block', { data: Uint8Array.from([0, 100, 200, 40]), width: 2, height: 2, channels: 1 }, [1, 1], [85]],
  ])('%s', (_name, img, size, expected) => {
    expect(Array.from(resizePixels(img, size).data)).toEqual(expected);
  });

  // resizeImage (what training and `cnnkit predict` use) must give the same bytes,
  // so a page using resizePixels feeds the model exactly what Node feeds it.
  it.each(PIXEL_INTERPOLATIONS)('gives the same bytes as resizeImage (%s), with and without crop', async (interpolation) => {
    const width = 37;
    const height = 23;
    const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7919) % 256);
    const img: RawImage = { data, width, height, channels: 3 };
    for (const crop of [false, true]) {
      const expected = await resizeImage(img, [16, 12], interpolation, crop);
      expect(resizePixels(img, [16, 12], interpolation, crop)).toEqual(expected);
    }
  });

  it('rejects a size that is not two positive integers', () => {
    const img: RawImage = { data: new Uint8Array(3), width: 1, height: 1, channels: 3 };
    expect(() => resizePixels(img, [0, 4])).toThrow(/resizePixels: expected imageSize \[height, width\] of positive integers, received \[0, 4\]/);
  });
});
