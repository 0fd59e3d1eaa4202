import { describe, expect, it } from 'vitest';
import type { RawImage } from './decode-image.js';
import { cropToAspect, resizeImage, type Interpolation } from './resize-image.js';

const gray = (width: number, height: number, values: number[]): RawImage => ({ data: Uint8Array.from(values), width, height, channels: 1 });

describe('resizeImage', () => {
  it.each<Interpolation>(['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'mitchellcubic'])(
    'a 2x2 solid colour resized to 4x4 (%s) is that colour everywhere',
    async (interpolation) => {
      const img: RawImage = { data: Uint8Array.from([10, 200, 30, 10, 200, 30, 10, 200, 30, 10, 200, 30]), width: 2, height: 2, channels: 3 };
      const out = await resizeImage(img, [4, 4], interpolation);
      expect([out.width, out.height, out.channels]).toEqual([4, 4, 3]);
      for (let i = 0; i < 16; i++) expect(Array.from(out.data.subarray(i * 3, i * 3 + 3))).toEqual([10, 200, 30]);
    },
  );

  // Expected values: tf.image.resize (half-pixel centres), worked by hand.
  it.each<[string, Interpolation, RawImage, [number, number], number[]]>([
    ['nearest up 2x', 'nearest', gray(2, 2, [0, 100, 200, 250]), [4, 4], [0, 0, 100, 100, 0, 0, 100, 100, 200, 200, 250, 250, 200, 200, 250, 250]],
    ['nearest down 2x picks odd rows/cols', 'nearest', gray(4, 4, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]), [2, 2], [5, 7, 13, 15]],
    ['bilinear up 2x: (0.25, 0.75) lerps, edges clamp', 'bilinear', gray(2, 1, [0, 100]), [1, 4], [0, 25, 75, 100]],
    ['bilinear down 2x averages the 2x2 block', 'bilinear', gray(2, 2, [0, 100, 200, 40]), [1, 1], [85]],
    ['area down 2x averages blocks', 'area', gray(4, 2, [0, 4, 8, 12, 2, 6, 10, 14]), [1, 2], [3, 11]],
    ['area 3 -> 2 weights the shared pixel half', 'area', gray(3, 1, [0, 90, 180]), [1, 2], [30, 150]],
  ])('%s', async (_name, interpolation, img, size, expected) => {
    const out = await resizeImage(img, size, interpolation);
    expect(Array.from(out.data)).toEqual(expected);
  });

  it('crops to the target aspect ratio around the centre, like Keras', () => {
    // 6 wide, 2 high, target square: the centre 2x2 (columns 2..3).
    const img = gray(6, 2, [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
    const out = cropToAspect(img, 5, 5);
    expect([out.width, out.height, Array.from(out.data)]).toEqual([2, 2, [2, 3, 12, 13]]);
  });

  it('rejects a bad size naming what came in', async () => {
    await expect(resizeImage(gray(1, 1, [0]), [0, 3])).rejects.toThrow('resizeImage: expected imageSize [height, width] of positive integers, received [0, 3]');
  });
});
