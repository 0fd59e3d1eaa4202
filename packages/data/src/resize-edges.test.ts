import { describe, expect, it } from 'vitest';
import { INTERPOLATIONS, resizeImage } from './resize-image.js';
import { cropToAspect, PIXEL_INTERPOLATIONS, resizePixels, type RawImage } from './resize-pixels.js';

// The paths the resize tables leave out, each worked by hand: Keras's centred crop to
// the aspect ratio in both directions and with several channels, byte clamping,
// nearest's last row/column, identity sizes, and the argument checks.

const img = (width: number, height: number, channels: number, data: number[]): RawImage => ({ data: Uint8Array.from(data), width, height, channels });
const ramp = (width: number, height: number, channels: number) => img(width, height, channels, Array.from({ length: width * height * channels }, (_, i) => i));

describe('cropToAspect (Keras crop_to_aspect_ratio)', () => {
  it.each([
    // width, height, channels, target [h, w], crop width, height, the kept rows/columns
    // 2 wide x 6 high to square: rows 2..3 (top = trunc((6 - 2) / 2) = 2)
    [2, 6, 1, [4, 4], 2, 2, [4, 5, 6, 7]],
    // 5 wide x 3 high to 1:2 (h:w): height min(3, trunc(5 * 1 / 2)) = 2, width min(5, trunc(3 * 2)) = 5; top 0
    [5, 3, 1, [1, 2], 5, 2, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    // 7 wide x 2 high to 1:2: height min(2, trunc(7 / 2)) = 2, width min(7, 4) = 4, left trunc(3 / 2) = 1
    [7, 2, 1, [1, 2], 4, 2, [1, 2, 3, 4, 8, 9, 10, 11]],
    // 4 wide x 4 high, 2 channels, to 2:1 (h:w): width trunc(4 * 1 / 2) = 2, left 1
    [4, 4, 2, [2, 1], 2, 4, [2, 3, 4, 5, 10, 11, 12, 13, 18, 19, 20, 21, 26, 27, 28, 29]],
  ] as const)('%dx%d (%d channels) to %j keeps a %dx%d centre', (w, h, c, [th, tw], cw, ch, kept) => {
    const out = cropToAspect(ramp(w, h, c), th, tw);
    expect([out.width, out.height, out.channels, Array.from(out.data)]).toEqual([cw, ch, c, kept]);
  });
  it('returns the same image when the aspect already matches', () => {
    const src = ramp(6, 3, 1);
    expect(cropToAspect(src, 2, 4)).toBe(src);
  });
});

describe('resizePixels and resizeImage edges', () => {
  it('bilinear rounds and clamps to bytes; nearest reads the last row and column', () => {
    // 2x2 -> 3x3 bilinear of [0, 255; 255, 0]: centre (0.5, 0.5) averages to 127.5 -> 128
    expect(Array.from(resizePixels(img(2, 2, 1, [0, 255, 255, 0]), [3, 3]).data)).toEqual([0, 128, 255, 128, 128, 128, 255, 128, 0]);
    // nearest 3 -> 2: source index floor((x + 0.5) * 1.5) = 0, 2
    expect(Array.from(resizePixels(img(3, 3, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9]), [2, 2], 'nearest').data)).toEqual([1, 3, 7, 9]);
    // nearest 2 -> 5 on two channels: floor((x + 0.5) * 0.4) = 0, 0, 1, 1, 1
    expect(Array.from(resizePixels(img(2, 1, 2, [10, 20, 30, 40]), [1, 5], 'nearest').data)).toEqual([10, 20, 10, 20, 30, 40, 30, 40, 30, 40]);
  });
  it('bilinear 4 -> 3 interpolates between interior neighbours, along x and along y', () => {
    // source x = (x + 0.5) * 4 / 3 - 0.5 = 1/6, 1.5, 17/6: 0 + 30 / 6 = 5; 30 + 60 / 2 = 60; 90 + 60 * 5 / 6 = 140
    expect(Array.from(resizePixels(img(4, 1, 1, [0, 30, 90, 150]), [1, 3]).data)).toEqual([5, 60, 140]);
    expect(Array.from(resizePixels(img(1, 4, 1, [0, 30, 90, 150]), [3, 1]).data)).toEqual([5, 60, 140]);
  });
  it('area averages whole blocks on every channel', () => {
    // 4x2, 2 channels -> 2x1: each output averages a 2x2 block per channel
    const src = img(4, 2, 2, [0, 100, 10, 110, 20, 120, 30, 130, 40, 140, 50, 150, 60, 160, 70, 170]);
    expect(Array.from(resizePixels(src, [1, 2], 'area').data)).toEqual([25, 125, 45, 145]);
  });
  it('the same size returns the image itself, after the crop when one is asked', async () => {
    const src = ramp(4, 3, 1);
    for (const interpolation of PIXEL_INTERPOLATIONS) expect(resizePixels(src, [3, 4], interpolation)).toBe(src);
    expect(resizePixels(ramp(6, 3, 1), [3, 3], 'bilinear', true)).toEqual(cropToAspect(ramp(6, 3, 1), 3, 3));
    const same = await resizeImage(src, [3, 4]);
    expect(Array.from(same.data)).toEqual(Array.from(src.data));
  });
  it.each([[[0, 4]], [[4, 0]], [[2.5, 4]], [[4, 2.5]], [[-1, 4]], [[4, -3]]] as const)('rejects size %j', async (size) => {
    const src = ramp(2, 2, 1);
    const text = `expected imageSize [height, width] of positive integers, received [${size[0]}, ${size[1]}]`;
    expect(() => resizePixels(src, size)).toThrow(`resizePixels: ${text}`);
    await expect(resizeImage(src, size)).rejects.toThrow(`resizeImage: ${text}`);
  });
  it('rejects an unknown interpolation, naming the choices', async () => {
    expect(() => resizePixels(ramp(2, 2, 1), [3, 3], 'cubic' as never)).toThrow('resizePixels: unknown interpolation "cubic"; expected one of bilinear, nearest, area');
    await expect(resizeImage(ramp(2, 2, 1), [3, 3], 'cubic' as never)).rejects.toThrow(
      'resizeImage: unknown interpolation "cubic"; expected one of bilinear, nearest, bicubic, area, lanczos3, mitchellcubic',
    );
    expect(INTERPOLATIONS).toEqual(['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'mitchellcubic']);
  });
  it.each([['bicubic'], ['lanczos3'], ['mitchellcubic']] as const)('%s (sharp) keeps a constant image constant and the size asked', async (interpolation) => {
    const out = await resizeImage(img(3, 2, 3, new Array(18).fill(77)), [5, 4], interpolation);
    expect([out.width, out.height, out.channels]).toEqual([4, 5, 3]);
    expect(new Set(out.data)).toEqual(new Set([77]));
  });
});
