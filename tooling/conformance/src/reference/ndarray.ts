/** A float64 array with a shape: the data type of every reference implementation. */
export interface Nd {
  data: Float64Array;
  shape: number[];
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function nd(shape: number[], data?: ArrayLike<number>): Nd {
  const out = new Float64Array(size(shape));
  if (data) out.set(data);
  return { data: out, shape };
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

export function map(a: Nd, f: (v: number, i: number) => number): Nd {
  const out = nd([...a.shape]);
  for (let i = 0; i < a.data.length; i++) out.data[i] = f(a.data[i], i);
  return out;
}

/** Elementwise binary op with numpy broadcasting. */
export function broadcast(a: Nd, b: Nd, f: (x: number, y: number) => number): Nd {
  const rank = Math.max(a.shape.length, b.shape.length);
  const pa = [...new Array(rank - a.shape.length).fill(1), ...a.shape];
  const pb = [...new Array(rank - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1) throw new Error(`broadcast: shapes ${a.shape} and ${b.shape} do not broadcast`);
    return Math.max(d, pb[i]);
  });
  const out = nd(shape);
  const so = strides(shape);
  const sa = strides(pa);
  const sb = strides(pb);
  for (let i = 0; i < out.data.length; i++) {
    let ia = 0;
    let ib = 0;
    let rest = i;
    for (let k = 0; k < rank; k++) {
      const idx = Math.floor(rest / so[k]);
      rest -= idx * so[k];
      if (pa[k] !== 1) ia += idx * sa[k];
      if (pb[k] !== 1) ib += idx * sb[k];
    }
    out.data[i] = f(a.data[ia], b.data[ib]);
  }
  return out;
}

/** Reduces over `axes` (keepDims false) with an associative op. */
export function reduce(a: Nd, axes: number[], init: number, f: (acc: number, v: number) => number): Nd {
  const keep = a.shape.map((_, i) => !axes.includes(i));
  const outShape = a.shape.filter((_, i) => keep[i]);
  const out = nd(outShape);
  out.data.fill(init);
  const sa = strides(a.shape);
  const so = strides(outShape);
  for (let i = 0; i < a.data.length; i++) {
    let rest = i;
    let io = 0;
    let k2 = 0;
    for (let k = 0; k < a.shape.length; k++) {
      const idx = Math.floor(rest / sa[k]);
      rest -= idx * sa[k];
      if (keep[k]) io += idx * so[k2++];
    }
    out.data[io] = f(out.data[io], a.data[i]);
  }
  return out;
}

export function sumAll(a: Nd): number {
  let s = 0;
  for (const v of a.data) s += v;
  return s;
}
