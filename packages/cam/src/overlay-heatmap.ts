import { CnnkitError } from '@cnnkit/tensor-core';
import type { RawImage } from '@cnnkit/data';
import { colorize, type ColormapName } from './colorize.js';
import type { CamResult } from './compute-cam.js';
import { loadPeer } from './optional-peer.js';
import { upsampleHeatmap } from './upsample-heatmap.js';

/** sharp, an optional peer: loaded on the first overlay, with an install hint when it is missing. */
async function loadSharp(): Promise<typeof import('sharp').default> {
  return (await loadPeer('sharp', () => import('sharp'))).default;
}

export interface OverlayOptions {
  /** Opacity of the colour layer, 0..1. Default 0.4 (the Keras Grad-CAM example's). */
  alpha?: number;
  /** Default `viridis`. */
  colormap?: ColormapName;
}

/**
 * The image with the coloured heatmap laid over it, as raw RGB: the heatmap is
 * upsampled (bilinear) to the image size, coloured, and composited by sharp with
 * opacity `alpha` (out = (1 - alpha) · image + alpha · colour). Images with 1 or 4
 * channels are converted to RGB first (alpha flattened onto white).
 */
export async function overlayPixels(image: RawImage, cam: CamResult, options: OverlayOptions = {}): Promise<RawImage> {
  const alpha = options.alpha ?? 0.4;
  if (!(alpha >= 0 && alpha <= 1)) throw new CnnkitError('BAD_OPTION', `overlayHeatmap: expected alpha in 0..1, received ${alpha}`);
  if (![1, 3, 4].includes(image.channels) || image.data.length !== image.width * image.height * image.channels) {
    throw new CnnkitError(
      'BAD_IMAGE',
      `overlayHeatmap: expected an image of width x height x channels (1, 3 or 4) bytes, received ${image.data.length} bytes for ${image.width}x${image.height}x${image.channels}`,
    );
  }
  const { width, height } = image;
  const sharp = await loadSharp();
  const base = await sharp(image.data, { raw: { width, height, channels: image.channels as 1 | 3 | 4 } })
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  const rgb = colorize(upsampleHeatmap(cam.heatmap, [cam.height, cam.width], [height, width]), options.colormap ?? 'viridis');
  const layer = Buffer.alloc(width * height * 4);
  const a = Math.round(alpha * 255);
  for (let i = 0; i < width * height; i++) {
    layer[i * 4] = rgb[i * 3];
    layer[i * 4 + 1] = rgb[i * 3 + 1];
    layer[i * 4 + 2] = rgb[i * 3 + 2];
    layer[i * 4 + 3] = a;
  }
  const out = await sharp(base, { raw: { width, height, channels: 3 } })
    .composite([{ input: layer, raw: { width, height, channels: 4 } }])
    .removeAlpha()
    .raw()
    .toBuffer();
  return { data: new Uint8Array(out.buffer, out.byteOffset, out.length), width, height, channels: 3 };
}

/**
 * A PNG of the image with its class activation map laid over it (Keras Grad-CAM
 * example style: the whole colour layer at opacity `alpha`).
 *
 * @example
 * ```ts
 * const png = await overlayHeatmap(await decodeImage('cat.jpg', { colorMode: 'rgb' }), cam, { colormap: 'turbo' });
 * ```
 */
export async function overlayHeatmap(image: RawImage, cam: CamResult, options: OverlayOptions = {}): Promise<Buffer> {
  const px = await overlayPixels(image, cam, options);
  const sharp = await loadSharp();
  return sharp(px.data, { raw: { width: px.width, height: px.height, channels: 3 } }).png().toBuffer();
}
