import { CnnkitError } from '@cnnkit/tensor-core';

// The resizes that are pure arithmetic on pixels, with no sharp and no Node API,
// so a browser page can prepare an image exactly as training and `cnnkit predict`
// do (the `@cnnkit/data/pixels` subpath). resize-image.ts adds the libvips kernels.

/** Interleaved (HWC) 8-bit pixels. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** The interpolations computed here exactly as `tf.image.resize` does. */
export type PixelInterpolation = 'bilinear' | 'nearest' | 'area';

export const PIXEL_INTERPOLATIONS: readonly PixelInterpolation[] = ['bilinear', 'nearest', 'area'];

/** Keras's centred crop to the target aspect ratio (`crop_to_aspect_ratio=True`). */
export function cropToAspect(img: RawImage, targetHeight: number, targetWidth: number): RawImage {
  const { width, height, channels } = img;
  const cropHeight = Math.min(height, Math.trunc((width * targetHeight) / targetWidth));
  const cropWidth = Math.min(width, Math.trunc((height * targetWidth) / targetHeight));
  if (cropHeight === height && cropWidth === width) return img;
  const top = Math.trunc((height - cropHeight) / 2);
  const left = Math.trunc((width - cropWidth) / 2);
  const out = new Uint8Array(cropWidth * cropHeight * channels);
  const rowBytes = cropWidth * channels;
  for (let y = 0; y < cropHeight; y++) {
    const from = ((top + y) * width + left) * channels;
    out.set(img.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return { data: out, width: cropWidth, height: cropHeight, channels };
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

function resizeBilinear(img: RawImage, outH: number, outW: number): RawImage {
  const { data, width, height, channels: c } = img;
  const out = new Uint8Array(outH * outW * c);
  const sy = height / outH;
  const sx = width / outW;
  const x0s = new Int32Array(outW);
  const x1s = new Int32Array(outW);
  const xl = new Float64Array(outW);
  for (let x = 0; x < outW; x++) {
    const inX = (x + 0.5) * sx - 0.5;
    const f = Math.floor(inX);
    x0s[x] = Math.max(f, 0);
    x1s[x] = Math.min(Math.ceil(inX), width - 1);
    xl[x] = inX - f;
  }
  for (let y = 0; y < outH; y++) {
    const inY = (y + 0.5) * sy - 0.5;
    const fy = Math.floor(inY);
    const r0 = Math.max(fy, 0) * width;
    const r1 = Math.min(Math.ceil(inY), height - 1) * width;
    const yl = inY - fy;
    for (let x = 0; x < outW; x++) {
      const a = (r0 + x0s[x]) * c;
      const b = (r0 + x1s[x]) * c;
      const d = (r1 + x0s[x]) * c;
      const e = (r1 + x1s[x]) * c;
      const lx = xl[x];
      const o = (y * outW + x) * c;
      for (let k = 0; k < c; k++) {
        const top = data[a + k] + (data[b + k] - data[a + k]) * lx;
        const bottom = data[d + k] + (data[e + k] - data[d + k]) * lx;
        out[o + k] = clampByte(top + (bottom - top) * yl);
      }
    }
  }
  return { data: out, width: outW, height: outH, channels: c };
}

function resizeNearest(img: RawImage, outH: number, outW: number): RawImage {
  const { data, width, height, channels: c } = img;
  const out = new Uint8Array(outH * outW * c);
  const sy = height / outH;
  const sx = width / outW;
  for (let y = 0; y < outH; y++) {
    const iy = Math.min(Math.floor((y + 0.5) * sy), height - 1);
    for (let x = 0; x < outW; x++) {
      const ix = Math.min(Math.floor((x + 0.5) * sx), width - 1);
      const from = (iy * width + ix) * c;
      const o = (y * outW + x) * c;
      for (let k = 0; k < c; k++) out[o + k] = data[from + k];
    }
  }
  return { data: out, width: outW, height: outH, channels: c };
}

/** Per output index: the source indices it covers and the covered fraction of each. */
function areaSpans(inSize: number, outSize: number): { start: Int32Array; weights: Float64Array[] } {
  const scale = inSize / outSize;
  const start = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const lo = o * scale;
    const hi = (o + 1) * scale;
    const first = Math.floor(lo);
    const last = Math.min(Math.ceil(hi) - 1, inSize - 1);
    const w = new Float64Array(last - first + 1);
    for (let i = first; i <= last; i++) w[i - first] = Math.min(i + 1, hi) - Math.max(i, lo);
    start[o] = first;
    weights.push(w);
  }
  return { start, weights };
}

function resizeArea(img: RawImage, outH: number, outW: number): RawImage {
  const { data, width, height, channels: c } = img;
  const out = new Uint8Array(outH * outW * c);
  const ys = areaSpans(height, outH);
  const xs = areaSpans(width, outW);
  const norm = 1 / ((height / outH) * (width / outW));
  const acc = new Float64Array(c);
  for (let y = 0; y < outH; y++) {
    const wy = ys.weights[y];
    for (let x = 0; x < outW; x++) {
      const wx = xs.weights[x];
      acc.fill(0);
      for (let j = 0; j < wy.length; j++) {
        const row = (ys.start[y] + j) * width;
        for (let i = 0; i < wx.length; i++) {
          const w = wy[j] * wx[i];
          const from = (row + xs.start[x] + i) * c;
          for (let k = 0; k < c; k++) acc[k] += data[from + k] * w;
        }
      }
      const o = (y * outW + x) * c;
      for (let k = 0; k < c; k++) out[o + k] = clampByte(acc[k] * norm);
    }
  }
  return { data: out, width: outW, height: outH, channels: c };
}

/**
 * Resizes to `[height, width]` with half-pixel centres and no antialiasing (like
 * `tf.image.resize`), rounding to 8 bits, first cropping to the target aspect
 * ratio when asked. Synchronous and browser-safe.
 *
 * @example
 * ```ts
 * const small = resizePixels({ data, width: 640, height: 480, channels: 3 }, [180, 180]);
 * ```
 */
export function resizePixels(
  img: RawImage,
  size: readonly [number, number],
  interpolation: PixelInterpolation = 'bilinear',
  cropToAspectRatio = false,
): RawImage {
  const [outH, outW] = size;
  if (!Number.isInteger(outH) || !Number.isInteger(outW) || outH <= 0 || outW <= 0) {
    throw new CnnkitError('BAD_OPTION', `resizePixels: expected imageSize [height, width] of positive integers, received [${outH}, ${outW}]`);
  }
  const src = cropToAspectRatio ? cropToAspect(img, outH, outW) : img;
  if (src.width === outW && src.height === outH) return src;
  switch (interpolation) {
    case 'bilinear':
      return resizeBilinear(src, outH, outW);
    case 'nearest':
      return resizeNearest(src, outH, outW);
    case 'area':
      return resizeArea(src, outH, outW);
    default: {
      const never: never = interpolation;
      throw new CnnkitError(
        'BAD_OPTION',
        `resizePixels: unknown interpolation ${JSON.stringify(never)}; expected one of ${PIXEL_INTERPOLATIONS.join(', ')}`,
      );
    }
  }
}
