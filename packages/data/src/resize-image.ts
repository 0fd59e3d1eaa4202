import { CnnkitError } from '@cnnkit/tensor-core';
import sharp, { type KernelEnum, type OutputInfo, type Sharp } from 'sharp';
import type { RawImage } from './decode-image.js';
import { cropToAspect, resizePixels } from './resize-pixels.js';

export { cropToAspect } from './resize-pixels.js';

/**
 * Keras's `interpolation` names. `bilinear`, `nearest` and `area` are computed
 * here exactly as `tf.image.resize` does (half-pixel centres, no antialiasing),
 * then rounded to 8 bits (within 0.5 of TF's float result). `bicubic`,
 * `lanczos3` and `mitchellcubic` use libvips's kernels of the same name, which
 * are close to but not bit-identical with TF's.
 */
export type Interpolation = 'bilinear' | 'nearest' | 'bicubic' | 'area' | 'lanczos3' | 'mitchellcubic';

export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'mitchellcubic'];

async function resizeWithSharp(img: RawImage, outH: number, outW: number, kernel: keyof KernelEnum): Promise<RawImage> {
  const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 } })
    .resize({ width: outW, height: outH, fit: 'fill', kernel })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== img.channels) {
    throw new CnnkitError('RESIZE', `resizeImage: expected ${img.channels} channels back from sharp, received ${info.channels}`);
  }
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: outW, height: outH, channels: img.channels };
}

/**
 * Resizes to `[height, width]`, first cropping to the target aspect ratio when asked.
 *
 * @example
 * ```ts
 * const small = await resizeImage(img, [180, 180], 'bilinear');
 * ```
 */
export async function resizeImage(
  img: RawImage,
  size: readonly [number, number],
  interpolation: Interpolation = 'bilinear',
  cropToAspectRatio = false,
): Promise<RawImage> {
  const [outH, outW] = size;
  if (!Number.isInteger(outH) || !Number.isInteger(outW) || outH <= 0 || outW <= 0) {
    throw new CnnkitError('BAD_OPTION', `resizeImage: expected imageSize [height, width] of positive integers, received [${outH}, ${outW}]`);
  }
  const src = cropToAspectRatio ? cropToAspect(img, outH, outW) : img;
  if (src.width === outW && src.height === outH) return src;
  switch (interpolation) {
    case 'bilinear':
    case 'nearest':
    case 'area':
      return resizePixels(src, [outH, outW], interpolation);
    case 'bicubic':
      return resizeWithSharp(src, outH, outW, 'cubic');
    case 'lanczos3':
      return resizeWithSharp(src, outH, outW, 'lanczos3');
    case 'mitchellcubic':
      return resizeWithSharp(src, outH, outW, 'mitchell');
    default: {
      const never: never = interpolation;
      throw new CnnkitError(
        'BAD_OPTION',
        `resizeImage: unknown interpolation ${JSON.stringify(never)}; expected one of ${INTERPOLATIONS.join(', ')}`,
      );
    }
  }
}
