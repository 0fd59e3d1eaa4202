import type { FillMode, Interpolation } from '../fill-mode.js';

/**
 * The float64 oracle for `sampleProjective`, written as plain loops with integer index
 * arithmetic (independent of the tensor version): extend the input by the fill mode,
 * then sample the output pixel's source point.
 */
export function referenceSample(
  image: Float64Array | number[],
  [n, h, w, c]: [number, number, number, number],
  transforms: readonly (readonly number[])[],
  interpolation: Interpolation,
  fillMode: FillMode,
  fillValue: number,
  [oh, ow]: [number, number] = [h, w],
): Float64Array {
  const out = new Float64Array(n * oh * ow * c);
  const mod = (a: number, m: number) => ((a % m) + m) % m;
  const mapIndex = (i: number, len: number): number | null => {
    switch (fillMode) {
      case 'constant':
        return i >= 0 && i < len ? i : null;
      case 'nearest':
        return Math.min(Math.max(i, 0), len - 1);
      case 'wrap':
        return mod(i, len);
      case 'reflect': {
        const m = mod(i, 2 * len);
        return m < len ? m : 2 * len - 1 - m;
      }
    }
  };
  for (let b = 0; b < n; b++) {
    const [a0, a1, a2, b0, b1, b2, c0, c1] = transforms.length === 1 ? transforms[0] : transforms[b];
    const read = (x: number, y: number, ch: number): number => {
      const mx = mapIndex(x, w);
      const my = mapIndex(y, h);
      if (mx === null || my === null) return fillValue;
      return image[((b * h + my) * w + mx) * c + ch];
    };
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const k = c0 * ox + c1 * oy + 1;
        for (let ch = 0; ch < c; ch++) {
          let v: number;
          if (k === 0) {
            v = fillValue;
          } else {
            const x = (a0 * ox + a1 * oy + a2) / k;
            const y = (b0 * ox + b1 * oy + b2) / k;
            if (interpolation === 'nearest') {
              v = read(Math.floor(x + 0.5), Math.floor(y + 0.5), ch);
            } else {
              const x0 = Math.floor(x);
              const y0 = Math.floor(y);
              const fx = x - x0;
              const fy = y - y0;
              v =
                (1 - fy) * ((1 - fx) * read(x0, y0, ch) + fx * read(x0 + 1, y0, ch)) +
                fy * ((1 - fx) * read(x0, y0 + 1, ch) + fx * read(x0 + 1, y0 + 1, ch));
            }
          }
          out[((b * oh + oy) * ow + ox) * c + ch] = v;
        }
      }
    }
  }
  return out;
}
