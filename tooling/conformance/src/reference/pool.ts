import { convGeometry, type Padding } from './conv.js';
import { nd, type Nd } from './ndarray.js';

export interface PoolParams {
  size: [number, number];
  strides: [number, number];
  padding: Padding;
}

function forEachWindow(
  x: Nd,
  p: PoolParams,
  visit: (outIndex: number, inIndices: number[]) => void,
): [number, number, number, number] {
  const [n, h, w, c] = x.shape;
  const gh = convGeometry(h, p.size[0], p.strides[0], 1, p.padding);
  const gw = convGeometry(w, p.size[1], p.strides[1], 1, p.padding);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < gh.out; oy++)
      for (let ox = 0; ox < gw.out; ox++)
        for (let ch = 0; ch < c; ch++) {
          const idx: number[] = [];
          // Row-major window order: the order in which "first maximum" is decided.
          for (let i = 0; i < p.size[0]; i++) {
            const y = oy * p.strides[0] + i - gh.before;
            if (y < 0 || y >= h) continue;
            for (let j = 0; j < p.size[1]; j++) {
              const xx = ox * p.strides[1] + j - gw.before;
              if (xx < 0 || xx >= w) continue;
              idx.push(((b * h + y) * w + xx) * c + ch);
            }
          }
          visit(((b * gh.out + oy) * gw.out + ox) * c + ch, idx);
        }
  return [n, gh.out, gw.out, c];
}

/** Max pooling; padded positions never win (TensorFlow pads with -infinity). */
export function maxPool(x: Nd, p: PoolParams): Nd {
  const values: number[] = [];
  const shape = forEachWindow(x, p, (o, idx) => (values[o] = Math.max(...idx.map((i) => x.data[i]))));
  return nd(shape, values);
}

/** Average pooling; the divisor counts only real (unpadded) positions, as TensorFlow. */
export function avgPool(x: Nd, p: PoolParams): Nd {
  const values: number[] = [];
  const shape = forEachWindow(x, p, (o, idx) => (values[o] = idx.reduce((s, i) => s + x.data[i], 0) / idx.length));
  return nd(shape, values);
}

/**
 * The max-pool gradient with ties: the first maximum of each window (row-major)
 * takes the whole upstream gradient, as TensorFlow and PyTorch do. Central
 * differences cannot check this (they split a tie), so ties use this oracle.
 */
export function maxPoolGradFirstMax(x: Nd, dy: Nd, p: PoolParams): Nd {
  const dx = nd([...x.shape]);
  forEachWindow(x, p, (o, idx) => {
    let best = idx[0];
    for (const i of idx) if (x.data[i] > x.data[best]) best = i;
    dx.data[best] += dy.data[o];
  });
  return dx;
}
