import { CnnkitError } from '@cnnkit/tensor-core';

/**
 * Bilinear resize of a row-major heatmap from `[h, w]` to `[H, W]`, with pixel centres
 * aligned (half-pixel, as sharp, OpenCV `INTER_LINEAR` and tfjs `resizeBilinear` with
 * `halfPixelCenters` do) and edges clamped, so a 2x2 map spreads over the whole image
 * instead of shifting up-left. Plain JavaScript: no tensors, usable in a browser.
 *
 * @example
 * ```ts
 * const big = upsampleHeatmap(cam.heatmap, [cam.height, cam.width], [180, 180]);
 * ```
 */
export function upsampleHeatmap(heatmap: ArrayLike<number>, from: readonly [number, number], to: readonly [number, number]): Float32Array {
  const [h, w] = from;
  const [H, W] = to;
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (!v.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new CnnkitError('BAD_OPTION', `upsampleHeatmap: expected ${name} [height, width] of positive integers, received ${JSON.stringify(v)}`);
    }
  }
  if (heatmap.length !== h * w) {
    throw new CnnkitError('BAD_INPUT', `upsampleHeatmap: expected ${h}x${w} = ${h * w} values, received ${heatmap.length}`);
  }
  const out = new Float32Array(H * W);
  const sy = h / H;
  const sx = w / W;
  for (let Y = 0; Y < H; Y++) {
    const fy = Math.min(Math.max((Y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const ty = fy - y0;
    for (let X = 0; X < W; X++) {
      const fx = Math.min(Math.max((X + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const tx = fx - x0;
      const top = heatmap[y0 * w + x0] * (1 - tx) + heatmap[y0 * w + x1] * tx;
      const bottom = heatmap[y1 * w + x0] * (1 - tx) + heatmap[y1 * w + x1] * tx;
      out[Y * W + X] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}
