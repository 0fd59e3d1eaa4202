import { nd, type Nd } from './ndarray.js';

export interface ResizeParams {
  size: [number, number];
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

function scale(input: number, output: number, alignCorners: boolean): number {
  return alignCorners && output > 1 ? (input - 1) / (output - 1) : input / output;
}

/** TensorFlow's ResizeNearestNeighbor index rule. */
function nearestIndex(dst: number, s: number, input: number, p: ResizeParams): number {
  const src = p.alignCorners ? Math.round(dst * s) : p.halfPixelCenters ? Math.floor((dst + 0.5) * s) : Math.floor(dst * s);
  return Math.max(0, Math.min(input - 1, src));
}

export function resizeNearest(x: Nd, p: ResizeParams): Nd {
  const [n, h, w, c] = x.shape;
  const [oh, ow] = p.size;
  const sy = scale(h, oh, p.alignCorners);
  const sx = scale(w, ow, p.alignCorners);
  const out = nd([n, oh, ow, c]);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++) {
      const iy = nearestIndex(y, sy, h, p);
      for (let xx = 0; xx < ow; xx++) {
        const ix = nearestIndex(xx, sx, w, p);
        for (let ch = 0; ch < c; ch++) out.data[((b * oh + y) * ow + xx) * c + ch] = x.data[((b * h + iy) * w + ix) * c + ch];
      }
    }
  return out;
}

/** TensorFlow's ResizeBilinear (legacy or half-pixel-centre sampling). */
export function resizeBilinear(x: Nd, p: ResizeParams): Nd {
  const [n, h, w, c] = x.shape;
  const [oh, ow] = p.size;
  const sy = scale(h, oh, p.alignCorners);
  const sx = scale(w, ow, p.alignCorners);
  const src = (dst: number, s: number) => (p.halfPixelCenters ? (dst + 0.5) * s - 0.5 : dst * s);
  const out = nd([n, oh, ow, c]);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++) {
      const fy = src(y, sy);
      const y0 = Math.max(Math.floor(fy), 0);
      const y1 = Math.min(Math.ceil(fy), h - 1);
      const ly = fy - Math.floor(fy);
      for (let xx = 0; xx < ow; xx++) {
        const fx = src(xx, sx);
        const x0 = Math.max(Math.floor(fx), 0);
        const x1 = Math.min(Math.ceil(fx), w - 1);
        const lx = fx - Math.floor(fx);
        for (let ch = 0; ch < c; ch++) {
          const at = (yy: number, xq: number) => x.data[((b * h + yy) * w + xq) * c + ch];
          const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * lx;
          const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * lx;
          out.data[((b * oh + y) * ow + xx) * c + ch] = top + (bottom - top) * ly;
        }
      }
    }
  return out;
}
