import type { ParamLayout } from './lowering.js';

/** Permutes a row-major array of `shape` by `perm` (numpy.transpose). */
export function permute(values: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const permStrides = perm.map((p) => strides[p]);
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * permStrides[d];
    out[o] = values[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** A Keras-ordered weight in the graph's order (conv kernels HWIO → OIHW). */
export function toGraphLayout(values: ArrayLike<number>, kerasShape: readonly number[], layout: ParamLayout): Float32Array {
  return layout === 'hwio-to-oihw' ? permute(values, kerasShape, [3, 2, 0, 1]) : Float32Array.from(values);
}

/** A graph-ordered weight back in Keras's order (OIHW → HWIO). */
export function toKerasLayout(values: ArrayLike<number>, graphShape: readonly number[], layout: ParamLayout): Float32Array {
  return layout === 'hwio-to-oihw' ? permute(values, graphShape, [2, 3, 1, 0]) : Float32Array.from(values);
}
