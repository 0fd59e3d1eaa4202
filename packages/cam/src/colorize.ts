import { CnnkitError } from '@cnnkit/tensor-core';
import { INFERNO_TABLE, TURBO_TABLE, VIRIDIS_TABLE } from './colormap-tables.js';

/** Perceptual colour maps, with matplotlib's published 256-entry tables (see colormap-tables.ts). */
export const COLORMAP_NAMES = ['viridis', 'turbo', 'inferno'] as const;
export type ColormapName = (typeof COLORMAP_NAMES)[number];

function table(name: ColormapName): readonly number[] {
  switch (name) {
    case 'viridis':
      return VIRIDIS_TABLE;
    case 'turbo':
      return TURBO_TABLE;
    case 'inferno':
      return INFERNO_TABLE;
    default: {
      const never: never = name;
      throw new CnnkitError('BAD_OPTION', `colorize: expected colormap one of ${COLORMAP_NAMES.join(', ')}, received "${String(never)}"`);
    }
  }
}

/**
 * Maps heatmap values in 0..1 to RGB bytes through a colour map: value v picks entry
 * round(v · 255) of the 256-entry table (values outside 0..1 are clamped, NaN reads as 0),
 * as matplotlib's `ListedColormap` with N = 256 does up to rounding. Returns `length · 3` bytes.
 *
 * @example
 * ```ts
 * const rgb = colorize(upsampleHeatmap(cam.heatmap, [cam.height, cam.width], [180, 180]), 'turbo');
 * ```
 */
export function colorize(heatmap: ArrayLike<number>, colormap: ColormapName = 'viridis'): Uint8Array {
  if (!(COLORMAP_NAMES as readonly string[]).includes(colormap)) {
    throw new CnnkitError('BAD_OPTION', `colorize: expected colormap one of ${COLORMAP_NAMES.join(', ')}, received "${String(colormap)}"`);
  }
  const lut = table(colormap);
  const bytes = new Uint8Array(256 * 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(lut[i] * 255);
  const out = new Uint8Array(heatmap.length * 3);
  for (let i = 0; i < heatmap.length; i++) {
    const v = heatmap[i];
    const k = Number.isNaN(v) ? 0 : Math.round(Math.min(Math.max(v, 0), 1) * 255);
    out[i * 3] = bytes[k * 3];
    out[i * 3 + 1] = bytes[k * 3 + 1];
    out[i * 3 + 2] = bytes[k * 3 + 2];
  }
  return out;
}
