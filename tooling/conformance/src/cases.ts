import type { tf as TF } from '@cnnkit/tensor-core';
import { conv2d, conv2dTranspose, depthwiseConv2d } from './reference/conv.js';
import { batchNorm, erf, logSoftmax, matMul, sigmoid, softmax } from './reference/math.js';
import { broadcast, map, nd, reduce, type Nd } from './reference/ndarray.js';
import { avgPool, maxPool, maxPoolGradFirstMax } from './reference/pool.js';
import { resizeBilinear, resizeNearest } from './reference/resize.js';

type tfNs = typeof TF;

/**
 * How an input's values are drawn. `signed`: uniform in [-1, 1] and at least 0.05
 * away from 0 (so kinks are not straddled by the finite difference); `ties`: from
 * {-1, -0.5, 0, 0.5, 1}, so windows hold equal maxima and exact zeros.
 */
export type InputKind = 'signed' | 'ties' | 'positive' | 'probabilities' | 'binary' | 'onehot' | 'wide';

export interface InputSpec {
  shape: number[];
  kind?: InputKind;
  /** Labels, masks: not differentiated. */
  constant?: boolean;
}

export interface ConformanceCase {
  name: string;
  inputs: Record<string, InputSpec>;
  run: (tf: tfNs, t: Record<string, TF.Tensor>) => TF.Tensor;
  reference: (a: Record<string, Nd>) => Nd;
  /** For inputs with ties, where central differences are undefined: the exact gradient. */
  referenceGradient?: (a: Record<string, Nd>, upstream: Nd) => Record<string, Nd>;
  /** Max error relative to max(1, max |reference|). Defaults: 1e-4 forward, 2e-4 gradient. */
  tolerance?: { forward?: number; gradient?: number };
}

const P = (s: number): [number, number] => [s, s];
const x4 = (n: number, h: number, w: number, c: number, kind: InputKind = 'signed'): InputSpec => ({ shape: [n, h, w, c], kind });

function convCases(): ConformanceCase[] {
  const configs: Array<{ label: string; x: number[]; k: number[]; s: number; d: number; pad: 'same' | 'valid' }> = [
    { label: 'odd 7x6, 3x3, stride 1, same', x: [2, 7, 6, 3], k: [3, 3, 3, 4], s: 1, d: 1, pad: 'same' },
    { label: 'odd 7x6, 3x3, stride 1, valid', x: [2, 7, 6, 3], k: [3, 3, 3, 4], s: 1, d: 1, pad: 'valid' },
    { label: 'odd 7x7, 3x3, stride 2, same', x: [2, 7, 7, 2], k: [3, 3, 2, 3], s: 2, d: 1, pad: 'same' },
    { label: 'even 8x8, 3x3, stride 2, same (asymmetric pad)', x: [2, 8, 8, 2], k: [3, 3, 2, 3], s: 2, d: 1, pad: 'same' },
    { label: 'even 6x6, 2x2 kernel, stride 1, same (pad after only)', x: [2, 6, 6, 2], k: [2, 2, 2, 3], s: 1, d: 1, pad: 'same' },
    { label: 'odd 7x5, 3x3, stride 2, valid', x: [3, 7, 5, 2], k: [3, 3, 2, 2], s: 2, d: 1, pad: 'valid' },
    { label: 'dilation 2, same', x: [2, 7, 6, 2], k: [3, 3, 2, 3], s: 1, d: 2, pad: 'same' },
    { label: 'dilation 2, valid', x: [2, 8, 7, 2], k: [3, 3, 2, 2], s: 1, d: 2, pad: 'valid' },
    { label: '1x1 kernel', x: [2, 4, 5, 3], k: [1, 1, 3, 4], s: 1, d: 1, pad: 'valid' },
    // Stride past the kernel: TF's "same" total pad would be negative and is clamped to 0
    // (tfjs-wasm/XNNPACK got these wrong: 6x6 pads neither axis, 7x6 one of them).
    { label: 'stride 3 over a 2x2 kernel, same, 6x6 (no pad)', x: [2, 6, 6, 2], k: [2, 2, 2, 3], s: 3, d: 1, pad: 'same' },
    { label: 'stride 3 over a 2x2 kernel, same, 7x6 (pad on one axis)', x: [2, 7, 6, 2], k: [2, 2, 2, 3], s: 3, d: 1, pad: 'same' },
  ];
  return configs.map((c) => ({
    name: `conv2d ${c.label}`,
    inputs: { x: { shape: c.x }, filter: { shape: c.k } },
    run: (tf, t) => tf.conv2d(t.x as TF.Tensor4D, t.filter as TF.Tensor4D, c.s, c.pad, 'NHWC', c.d),
    reference: (a) => conv2d(a.x, a.filter, { strides: P(c.s), dilations: P(c.d), padding: c.pad }),
  }));
}

function conv2dTransposeCases(): ConformanceCase[] {
  const configs: Array<{ label: string; x: number[]; k: number[]; out: [number, number, number, number]; s: number; pad: 'same' | 'valid' }> = [
    { label: 'stride 2, same', x: [2, 3, 4, 3], k: [3, 3, 2, 3], out: [2, 6, 8, 2], s: 2, pad: 'same' },
    { label: 'stride 2, valid', x: [2, 3, 3, 2], k: [3, 3, 3, 2], out: [2, 7, 7, 3], s: 2, pad: 'valid' },
    { label: 'stride 1, same', x: [2, 4, 5, 2], k: [3, 3, 2, 2], out: [2, 4, 5, 2], s: 1, pad: 'same' },
    { label: 'stride 2, 2x2 kernel, valid', x: [2, 3, 3, 2], k: [2, 2, 3, 2], out: [2, 6, 6, 3], s: 2, pad: 'valid' },
    // Its input gradient is a stride-3 "same" convolution over a 2x2 kernel (see conv2d's cases).
    { label: 'stride 3, 2x2 kernel, same', x: [2, 2, 2, 2], k: [2, 2, 3, 2], out: [2, 6, 6, 3], s: 3, pad: 'same' },
  ];
  return configs.map((c) => ({
    name: `conv2dTranspose ${c.label}`,
    inputs: { x: { shape: c.x }, filter: { shape: c.k } },
    run: (tf, t) => tf.conv2dTranspose(t.x as TF.Tensor4D, t.filter as TF.Tensor4D, c.out, c.s, c.pad),
    reference: (a) => conv2dTranspose(a.x, a.filter, c.out, { strides: P(c.s), padding: c.pad }),
  }));
}

function depthwiseCases(): ConformanceCase[] {
  const configs: Array<{ label: string; x: number[]; k: number[]; s: number; d: number; pad: 'same' | 'valid' }> = [
    { label: 'multiplier 2, stride 1, same', x: [2, 6, 5, 3], k: [3, 3, 3, 2], s: 1, d: 1, pad: 'same' },
    { label: 'multiplier 1, stride 2, same (even)', x: [2, 6, 6, 3], k: [3, 3, 3, 1], s: 2, d: 1, pad: 'same' },
    { label: 'multiplier 2, stride 2, valid', x: [2, 7, 6, 2], k: [3, 3, 2, 2], s: 2, d: 1, pad: 'valid' },
    { label: 'dilation 2, same', x: [2, 7, 7, 2], k: [3, 3, 2, 1], s: 1, d: 2, pad: 'same' },
    { label: 'stride 3 over a 2x2 kernel, same, 6x7 (pad on one axis)', x: [2, 6, 7, 2], k: [2, 2, 2, 2], s: 3, d: 1, pad: 'same' },
  ];
  return configs.map((c) => ({
    name: `depthwiseConv2d ${c.label}`,
    inputs: { x: { shape: c.x }, filter: { shape: c.k } },
    run: (tf, t) => tf.depthwiseConv2d(t.x as TF.Tensor4D, t.filter as TF.Tensor4D, c.s, c.pad, 'NHWC', c.d),
    reference: (a) => depthwiseConv2d(a.x, a.filter, { strides: P(c.s), dilations: P(c.d), padding: c.pad }),
  }));
}

function poolCases(): ConformanceCase[] {
  const configs: Array<{ label: string; x: InputSpec; size: number; s: number; pad: 'same' | 'valid' }> = [
    { label: '2x2 stride 2 valid, even', x: x4(2, 6, 8, 3), size: 2, s: 2, pad: 'valid' },
    { label: '2x2 stride 2 valid, odd (drops last row)', x: x4(2, 7, 5, 2), size: 2, s: 2, pad: 'valid' },
    { label: '3x3 stride 3 valid, tiled (drops the last rows and column)', x: x4(2, 8, 7, 2), size: 3, s: 3, pad: 'valid' },
    { label: '3x3 stride 2 same, odd', x: x4(2, 7, 7, 2), size: 3, s: 2, pad: 'same' },
    { label: '2x2 stride 2 same, odd (padded edge)', x: x4(2, 5, 7, 2), size: 2, s: 2, pad: 'same' },
    { label: '3x3 stride 1 same', x: x4(2, 5, 6, 2), size: 3, s: 1, pad: 'same' },
  ];
  const cases: ConformanceCase[] = [];
  for (const c of configs) {
    const params = { size: P(c.size), strides: P(c.s), padding: c.pad };
    cases.push({
      name: `maxPool ${c.label}`,
      inputs: { x: c.x },
      run: (tf, t) => tf.maxPool(t.x as TF.Tensor4D, c.size, c.s, c.pad),
      reference: (a) => maxPool(a.x, params),
    });
    cases.push({
      name: `avgPool ${c.label}`,
      inputs: { x: c.x },
      run: (tf, t) => tf.avgPool(t.x as TF.Tensor4D, c.size, c.s, c.pad),
      reference: (a) => avgPool(a.x, params),
    });
  }
  for (const c of [configs[0], configs[2], configs[4]]) {
    const params = { size: P(c.size), strides: P(c.s), padding: c.pad };
    cases.push({
      name: `maxPool ${c.label} with ties`,
      inputs: { x: { shape: c.x.shape, kind: 'ties' } },
      run: (tf, t) => tf.maxPool(t.x as TF.Tensor4D, c.size, c.s, c.pad),
      reference: (a) => maxPool(a.x, params),
      referenceGradient: (a, dy) => ({ x: maxPoolGradFirstMax(a.x, dy, params) }),
    });
  }
  cases.push(
    {
      name: 'global average pooling',
      inputs: { x: x4(3, 5, 4, 3) },
      run: (tf, t) => tf.mean(t.x, [1, 2]),
      reference: (a) => map(reduce(a.x, [1, 2], 0, (s, v) => s + v), (v) => v / 20),
    },
    {
      name: 'global max pooling',
      inputs: { x: x4(3, 5, 4, 3) },
      run: (tf, t) => tf.max(t.x, [1, 2]),
      reference: (a) => reduce(a.x, [1, 2], -Infinity, Math.max),
    },
    {
      // Ties in a global max share the gradient equally (TensorFlow's rule, and the
      // limit of central differences).
      name: 'global max pooling with ties',
      inputs: { x: { shape: [2, 3, 3, 2], kind: 'ties' } },
      run: (tf, t) => tf.max(t.x, [1, 2]),
      reference: (a) => reduce(a.x, [1, 2], -Infinity, Math.max),
      referenceGradient: (a, dy) => {
        const m = reduce(a.x, [1, 2], -Infinity, Math.max);
        const [n, h, w, c] = a.x.shape;
        const dx = nd([n, h, w, c]);
        for (let b = 0; b < n; b++)
          for (let ch = 0; ch < c; ch++) {
            const idx: number[] = [];
            for (let i = 0; i < h * w; i++) if (a.x.data[(b * h * w + i) * c + ch] === m.data[b * c + ch]) idx.push((b * h * w + i) * c + ch);
            for (const i of idx) dx.data[i] = dy.data[b * c + ch] / idx.length;
          }
        return { x: dx };
      },
    },
  );
  return cases;
}

function denseCases(): ConformanceCase[] {
  return [
    {
      name: 'dense: matMul + bias',
      inputs: { x: { shape: [4, 6] }, kernel: { shape: [6, 3] }, bias: { shape: [3] } },
      run: (tf, t) => tf.add(tf.matMul(t.x as TF.Tensor2D, t.kernel as TF.Tensor2D), t.bias),
      reference: (a) => broadcast(matMul(a.x, a.kernel), a.bias, (u, v) => u + v),
    },
    {
      name: 'matMul transposeA',
      inputs: { a: { shape: [5, 3] }, b: { shape: [5, 4] } },
      run: (tf, t) => tf.matMul(t.a as TF.Tensor2D, t.b as TF.Tensor2D, true, false),
      reference: (a) => matMul(a.a, a.b, true, false),
    },
    {
      name: 'matMul transposeB',
      inputs: { a: { shape: [3, 5] }, b: { shape: [4, 5] } },
      run: (tf, t) => tf.matMul(t.a as TF.Tensor2D, t.b as TF.Tensor2D, false, true),
      reference: (a) => matMul(a.a, a.b, false, true),
    },
    {
      name: 'flatten (reshape) + dense',
      inputs: { x: x4(2, 3, 2, 2), kernel: { shape: [12, 3] } },
      run: (tf, t) => tf.matMul(tf.reshape(t.x, [2, 12]) as TF.Tensor2D, t.kernel as TF.Tensor2D),
      reference: (a) => matMul({ data: a.x.data, shape: [2, 12] }, a.kernel),
    },
  ];
}

function batchNormCases(): ConformanceCase[] {
  const eps = 1e-3;
  return [
    {
      name: 'batch norm, training (batch statistics)',
      inputs: { x: x4(3, 4, 3, 2), gamma: { shape: [2], kind: 'positive' }, beta: { shape: [2] } },
      run: (tf, t) => {
        const { mean, variance } = tf.moments(t.x, [0, 1, 2]);
        return tf.batchNorm(t.x, mean, variance, t.beta, t.gamma, eps);
      },
      reference: (a) => batchNorm(a.x, a.gamma, a.beta, eps),
      tolerance: { gradient: 5e-4 },
    },
    {
      name: 'batch norm, inference (moving statistics)',
      inputs: {
        x: x4(2, 3, 3, 3),
        mean: { shape: [3], constant: true },
        variance: { shape: [3], kind: 'positive', constant: true },
        gamma: { shape: [3], kind: 'positive' },
        beta: { shape: [3] },
      },
      run: (tf, t) => tf.batchNorm(t.x, t.mean, t.variance, t.beta, t.gamma, eps),
      reference: (a) => batchNorm(a.x, a.gamma, a.beta, eps, { mean: a.mean, variance: a.variance }),
    },
  ];
}

function activationCases(): ConformanceCase[] {
  const shape = [3, 7];
  const unary = (name: string, run: (tf: tfNs, x: TF.Tensor) => TF.Tensor, f: (v: number) => number, kind: InputKind = 'wide'): ConformanceCase => ({
    name,
    inputs: { x: { shape, kind } },
    run: (tf, t) => run(tf, t.x),
    reference: (a) => map(a.x, f),
  });
  return [
    unary('relu', (tf, x) => tf.relu(x), (v) => Math.max(v, 0)),
    {
      name: 'relu at exact zeros (gradient 0 at 0)',
      inputs: { x: { shape, kind: 'ties' } },
      run: (tf, t) => tf.relu(t.x),
      reference: (a) => map(a.x, (v) => Math.max(v, 0)),
      referenceGradient: (a, dy) => ({ x: map(a.x, (v, i) => (v > 0 ? dy.data[i] : 0)) }),
    },
    unary('leaky relu (alpha 0.2)', (tf, x) => tf.leakyRelu(x, 0.2), (v) => (v > 0 ? v : 0.2 * v)),
    unary('elu', (tf, x) => tf.elu(x), (v) => (v > 0 ? v : Math.exp(v) - 1)),
    unary('sigmoid', (tf, x) => tf.sigmoid(x), sigmoid),
    unary('tanh', (tf, x) => tf.tanh(x), Math.tanh),
    unary('softplus', (tf, x) => tf.softplus(x), (v) => Math.log1p(Math.exp(v))),
    unary('gelu (exact, erf)', (tf, x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))),
    unary('swish', (tf, x) => tf.mul(x, tf.sigmoid(x)), (v) => v * sigmoid(v)),
    {
      name: 'softmax (last axis)',
      inputs: { x: { shape: [4, 5], kind: 'wide' } },
      run: (tf, t) => tf.softmax(t.x),
      reference: (a) => softmax(a.x),
    },
    {
      name: 'log softmax (last axis)',
      inputs: { x: { shape: [4, 5], kind: 'wide' } },
      run: (tf, t) => tf.logSoftmax(t.x),
      reference: (a) => logSoftmax(a.x),
    },
    {
      name: 'dropout as inverted mask (rate 0.5)',
      inputs: { x: { shape: [3, 6] }, mask: { shape: [3, 6], kind: 'binary', constant: true } },
      run: (tf, t) => tf.mul(t.x, tf.mul(t.mask, 2)),
      reference: (a) => broadcast(a.x, a.mask, (v, m) => v * m * 2),
    },
  ];
}

function resizeCases(): ConformanceCase[] {
  const configs: Array<{ label: string; x: number[]; size: [number, number]; alignCorners: boolean; halfPixelCenters: boolean }> = [
    { label: 'x2 (UpSampling2D)', x: [2, 3, 4, 2], size: [6, 8], alignCorners: false, halfPixelCenters: false },
    { label: 'x2, half-pixel centres', x: [2, 3, 4, 2], size: [6, 8], alignCorners: false, halfPixelCenters: true },
    { label: '5x5 to 3x4, half-pixel centres', x: [2, 5, 5, 2], size: [3, 4], alignCorners: false, halfPixelCenters: true },
    { label: '3x4 to 5x7, align corners', x: [2, 3, 4, 2], size: [5, 7], alignCorners: true, halfPixelCenters: false },
  ];
  const cases: ConformanceCase[] = [];
  for (const c of configs) {
    const p = { size: c.size, alignCorners: c.alignCorners, halfPixelCenters: c.halfPixelCenters };
    cases.push({
      name: `resize nearest ${c.label}`,
      inputs: { x: { shape: c.x } },
      run: (tf, t) => tf.image.resizeNearestNeighbor(t.x as TF.Tensor4D, c.size, c.alignCorners, c.halfPixelCenters),
      reference: (a) => resizeNearest(a.x, p),
    });
    cases.push({
      name: `resize bilinear ${c.label}`,
      inputs: { x: { shape: c.x } },
      run: (tf, t) => tf.image.resizeBilinear(t.x as TF.Tensor4D, c.size, c.alignCorners, c.halfPixelCenters),
      reference: (a) => resizeBilinear(a.x, p),
    });
  }
  return cases;
}

function lossCases(): ConformanceCase[] {
  const eps = 1e-7;
  const clip = (v: number) => Math.min(Math.max(v, eps), 1 - eps);
  const mean = (a: Nd) => a.data.reduce((s, v) => s + v, 0) / a.data.length;
  const scalar = (v: number) => nd([], [v]);
  return [
    {
      name: 'binary cross-entropy from probabilities',
      inputs: { p: { shape: [6, 1], kind: 'probabilities' }, y: { shape: [6, 1], kind: 'binary', constant: true } },
      run: (tf, t) => {
        const p = tf.clipByValue(t.p, eps, 1 - eps);
        return tf.neg(tf.mean(tf.add(tf.mul(t.y, tf.log(p)), tf.mul(tf.sub(1, t.y), tf.log(tf.sub(1, p))))));
      },
      reference: (a) => scalar(-mean(broadcast(a.p, a.y, (p, y) => y * Math.log(clip(p)) + (1 - y) * Math.log(1 - clip(p))))),
    },
    {
      name: 'binary cross-entropy from logits',
      inputs: { z: { shape: [6, 1], kind: 'wide' }, y: { shape: [6, 1], kind: 'binary', constant: true } },
      run: (tf, t) =>
        tf.mean(tf.add(tf.sub(tf.relu(t.z), tf.mul(t.z, t.y)), tf.log1p(tf.exp(tf.neg(tf.abs(t.z)))))),
      reference: (a) => scalar(mean(broadcast(a.z, a.y, (z, y) => -(y * Math.log(sigmoid(z)) + (1 - y) * Math.log(1 - sigmoid(z)))))),
    },
    {
      name: 'categorical cross-entropy from probabilities',
      inputs: { logits: { shape: [4, 5], kind: 'wide' }, y: { shape: [4, 5], kind: 'onehot', constant: true } },
      run: (tf, t) => {
        const p = tf.clipByValue(tf.softmax(t.logits), eps, 1 - eps);
        return tf.neg(tf.mean(tf.sum(tf.mul(t.y, tf.log(p)), -1)));
      },
      reference: (a) => {
        const p = map(softmax(a.logits), clip);
        return scalar(-mean(reduce(broadcast(a.y, p, (y, q) => y * Math.log(q)), [1], 0, (s, v) => s + v)));
      },
    },
    {
      name: 'categorical cross-entropy from logits',
      inputs: { logits: { shape: [4, 5], kind: 'wide' }, y: { shape: [4, 5], kind: 'onehot', constant: true } },
      run: (tf, t) => tf.neg(tf.mean(tf.sum(tf.mul(t.y, tf.logSoftmax(t.logits)), -1))),
      reference: (a) => scalar(-mean(reduce(broadcast(a.y, logSoftmax(a.logits), (y, l) => y * l), [1], 0, (s, v) => s + v))),
    },
    {
      name: 'mean squared error',
      inputs: { p: { shape: [5, 3] }, y: { shape: [5, 3], constant: true } },
      run: (tf, t) => tf.mean(tf.squaredDifference(t.p, t.y)),
      reference: (a) => scalar(mean(broadcast(a.p, a.y, (p, y) => (p - y) ** 2))),
    },
  ];
}

function layoutCases(): ConformanceCase[] {
  return [
    {
      name: 'concatenate (channel axis)',
      inputs: { a: x4(2, 3, 3, 2), b: x4(2, 3, 3, 3) },
      run: (tf, t) => tf.concat([t.a, t.b], 3),
      reference: (a) => {
        const out = nd([2, 3, 3, 5]);
        for (let p = 0; p < 18; p++) {
          for (let c = 0; c < 2; c++) out.data[p * 5 + c] = a.a.data[p * 2 + c];
          for (let c = 0; c < 3; c++) out.data[p * 5 + 2 + c] = a.b.data[p * 3 + c];
        }
        return out;
      },
    },
    {
      name: 'add (residual) with broadcasting bias',
      inputs: { a: x4(2, 3, 3, 2), b: x4(2, 3, 3, 2), bias: { shape: [2] } },
      run: (tf, t) => tf.add(tf.add(t.a, t.b), t.bias),
      reference: (a) => broadcast(broadcast(a.a, a.b, (u, v) => u + v), a.bias, (u, v) => u + v),
    },
    {
      name: 'rescaling (x * scale + offset)',
      inputs: { x: x4(2, 3, 3, 3) },
      run: (tf, t) => tf.add(tf.mul(t.x, 1 / 255), -0.5),
      reference: (a) => map(a.x, (v) => v * (1 / 255) - 0.5),
    },
    {
      name: 'pad + slice + transpose',
      inputs: { x: x4(2, 3, 4, 2) },
      run: (tf, t) => tf.transpose(tf.slice(tf.pad(t.x, [[0, 0], [1, 2], [0, 1], [0, 0]]), [0, 1, 1, 0], [2, 3, 3, 2]), [0, 3, 1, 2]),
      reference: (a) => {
        // padded[y+1][x] = x[y][x]; slice rows 1..3, cols 1..3 → x[y][x+1]: every cell read is
        // from x (the sx < 4 guard never fails). The case below reads the padding.
        const out = nd([2, 2, 3, 3]);
        for (let b = 0; b < 2; b++)
          for (let c = 0; c < 2; c++)
            for (let y = 0; y < 3; y++)
              for (let xx = 0; xx < 3; xx++) {
                const sx = xx + 1;
                out.data[((b * 2 + c) * 3 + y) * 3 + xx] = sx < 4 ? a.x.data[((b * 3 + y) * 4 + sx) * 2 + c] : 0;
              }
        return out;
      },
    },
    {
      // PadV2's fill value (0.7, not 0: a fill of 0 passes by luck) in the top, bottom,
      // left and right padding, all read by the slice.
      name: 'pad (fill 0.7) + slice reading the padded cells',
      inputs: { x: x4(2, 3, 4, 2) },
      run: (tf, t) => tf.slice(tf.pad(t.x, [[0, 0], [1, 2], [2, 1], [0, 0]], 0.7), [0, 0, 1, 0], [2, 5, 6, 2]),
      reference: (a) => {
        // padded[py][px] = x[py - 1][px - 2] inside, 0.7 outside; the slice starts at column 1.
        const out = nd([2, 5, 6, 2]);
        for (let b = 0; b < 2; b++)
          for (let y = 0; y < 5; y++)
            for (let xx = 0; xx < 6; xx++)
              for (let c = 0; c < 2; c++) {
                const sy = y - 1;
                const sx = xx + 1 - 2;
                const inside = sy >= 0 && sy < 3 && sx >= 0 && sx < 4;
                out.data[((b * 5 + y) * 6 + xx) * 2 + c] = inside ? a.x.data[((b * 3 + sy) * 4 + sx) * 2 + c] : 0.7;
              }
        return out;
      },
    },
    {
      name: 'sqrt, rsqrt, division, square',
      inputs: { x: { shape: [3, 4], kind: 'positive' }, y: { shape: [3, 4], kind: 'positive' } },
      run: (tf, t) => tf.add(tf.div(tf.sqrt(t.x), t.y), tf.mul(tf.rsqrt(t.y), tf.square(t.x))),
      reference: (a) => broadcast(a.x, a.y, (x, y) => Math.sqrt(x) / y + (1 / Math.sqrt(y)) * x * x),
    },
  ];
}

/**
 * One case per gradient tensor-core registers that the cases above do not reach
 * (packages/tensor-core/src/gradients): AddN, Maximum, Minimum, Pow, Relu6, Tile,
 * Reverse, Pack, Unpack, SplitV, Select, Min, ExpandDims, BroadcastTo, Identity,
 * Cast, Reciprocal and the zero gradients (Floor, Ceil, Round, Sign, Step,
 * OnesLike, ZerosLike). Tie rules are TensorFlow's (math_grad.py, nn_grad.py).
 */
function registeredGradientCases(): ConformanceCase[] {
  const shape = [3, 5];
  // Element at flat index i of an array of `shape` -> its multi-index.
  const index = (i: number, dims: readonly number[]) => {
    const out: number[] = [];
    for (let d = dims.length - 1; d >= 0; d--) {
      out[d] = i % dims[d];
      i = Math.floor(i / dims[d]);
    }
    return out;
  };
  const flat = (idx: readonly number[], dims: readonly number[]) => idx.reduce((acc, v, d) => acc * dims[d] + v, 0);
  const build = (dims: number[], f: (idx: number[]) => number): Nd => {
    const out = nd(dims);
    for (let i = 0; i < out.data.length; i++) out.data[i] = f(index(i, dims));
    return out;
  };
  return [
    {
      name: 'addN (three inputs)',
      inputs: { a: { shape }, b: { shape }, c: { shape } },
      run: (tf, t) => tf.addN([t.a, t.b, t.c]),
      reference: (a) => broadcast(broadcast(a.a, a.b, (u, v) => u + v), a.c, (u, v) => u + v),
    },
    {
      name: 'maximum, broadcasting b',
      inputs: { a: { shape: [2, 3, 4] }, b: { shape: [4] } },
      run: (tf, t) => tf.maximum(t.a, t.b),
      reference: (a) => broadcast(a.a, a.b, Math.max),
    },
    {
      // TensorFlow: a gets the gradient where a >= b, b where a < b.
      name: 'maximum with ties',
      inputs: { a: { shape, kind: 'ties' }, b: { shape, kind: 'ties' } },
      run: (tf, t) => tf.maximum(t.a, t.b),
      reference: (a) => broadcast(a.a, a.b, Math.max),
      referenceGradient: (a, dy) => ({
        a: map(a.a, (v, i) => (v >= a.b.data[i] ? dy.data[i] : 0)),
        b: map(a.b, (v, i) => (a.a.data[i] < v ? dy.data[i] : 0)),
      }),
    },
    {
      name: 'minimum, broadcasting a',
      inputs: { a: { shape: [3, 1] }, b: { shape: [3, 4] } },
      run: (tf, t) => tf.minimum(t.a, t.b),
      reference: (a) => broadcast(a.a, a.b, Math.min),
    },
    {
      // TensorFlow: a gets the gradient where a <= b, b where a > b.
      name: 'minimum with ties',
      inputs: { a: { shape, kind: 'ties' }, b: { shape, kind: 'ties' } },
      run: (tf, t) => tf.minimum(t.a, t.b),
      reference: (a) => broadcast(a.a, a.b, Math.min),
      referenceGradient: (a, dy) => ({
        a: map(a.a, (v, i) => (v <= a.b.data[i] ? dy.data[i] : 0)),
        b: map(a.b, (v, i) => (a.a.data[i] > v ? dy.data[i] : 0)),
      }),
    },
    {
      name: 'pow (positive base, signed exponent broadcast over rows)',
      inputs: { a: { shape: [3, 4], kind: 'positive' }, b: { shape: [4] } },
      run: (tf, t) => tf.pow(t.a, t.b),
      reference: (a) => broadcast(a.a, a.b, Math.pow),
    },
    {
      name: 'relu6 (x * 2.5 spans both kinks)',
      inputs: { x: { shape: [3, 7], kind: 'wide' } },
      run: (tf, t) => tf.relu6(tf.mul(t.x, 2.5)),
      reference: (a) => map(a.x, (v) => Math.min(Math.max(2.5 * v, 0), 6)),
    },
    {
      // At exactly 0 and 6 the gradient is 0 (TensorFlow: 0 < x < 6).
      name: 'relu6 at exact 0 and 6',
      inputs: { x: { shape: [3, 7], kind: 'ties' } },
      run: (tf, t) => tf.relu6(tf.mul(t.x, 6)),
      reference: (a) => map(a.x, (v) => Math.min(Math.max(6 * v, 0), 6)),
      referenceGradient: (a, dy) => ({ x: map(a.x, (v, i) => (6 * v > 0 && 6 * v < 6 ? 6 * dy.data[i] : 0)) }),
    },
    {
      name: 'tile [2, 3] by [2, 3]',
      inputs: { x: { shape: [2, 3] } },
      run: (tf, t) => tf.tile(t.x, [2, 3]),
      reference: (a) => build([4, 9], ([i, j]) => a.x.data[(i % 2) * 3 + (j % 3)]),
    },
    {
      name: 'reverse axes 1 and 2',
      inputs: { x: { shape: [2, 3, 4] } },
      run: (tf, t) => tf.reverse(t.x, [1, 2]),
      reference: (a) => build([2, 3, 4], ([b, i, j]) => a.x.data[flat([b, 2 - i, 3 - j], [2, 3, 4])]),
    },
    {
      name: 'stack (Pack) on axis 1',
      inputs: { a: { shape: [2, 3] }, b: { shape: [2, 3] } },
      run: (tf, t) => tf.stack([t.a, t.b], 1),
      reference: (a) => build([2, 2, 3], ([i, k, j]) => (k === 0 ? a.a : a.b).data[i * 3 + j]),
    },
    {
      // One of the three outputs is unused: its gradient is zero.
      name: 'unstack (Unpack) on axis 1, outputs reordered and one unused',
      inputs: { x: { shape: [2, 3, 4] } },
      run: (tf, t) => {
        const [u0, , u2] = tf.unstack(t.x, 1);
        return tf.concat([u2, tf.mul(u0, 2)], 1);
      },
      reference: (a) => build([2, 8], ([b, j]) => (j < 4 ? a.x.data[flat([b, 2, j], [2, 3, 4])] : 2 * a.x.data[flat([b, 0, j - 4], [2, 3, 4])])),
    },
    {
      name: 'split (SplitV) [2, 3] on axis 1, parts swapped',
      inputs: { x: { shape: [2, 5] } },
      run: (tf, t) => {
        const [p0, p1] = tf.split(t.x, [2, 3], 1);
        return tf.concat([p1, tf.mul(p0, -3)], 1);
      },
      reference: (a) => build([2, 5], ([i, j]) => (j < 3 ? a.x.data[i * 5 + 2 + j] : -3 * a.x.data[i * 5 + j - 3])),
    },
    {
      name: 'where (Select) by a constant mask',
      inputs: { a: { shape }, b: { shape }, mask: { shape, kind: 'binary', constant: true } },
      run: (tf, t) => tf.where(tf.greater(t.mask, 0.5), t.a, t.b),
      reference: (a) => map(a.mask, (m, i) => (m > 0.5 ? a.a.data[i] : a.b.data[i])),
    },
    {
      name: 'min over axis 1',
      inputs: { x: { shape: [3, 5, 2] } },
      run: (tf, t) => tf.min(t.x, 1),
      reference: (a) => reduce(a.x, [1], Infinity, Math.min),
    },
    {
      name: 'expandDims + broadcastTo',
      inputs: { x: { shape: [2, 4] } },
      run: (tf, t) => tf.broadcastTo(tf.expandDims(t.x, 1), [2, 3, 4]),
      reference: (a) => build([2, 3, 4], ([b, , j]) => a.x.data[b * 4 + j]),
    },
    {
      name: 'reciprocal of clone (Identity) of cast',
      inputs: { x: { shape, kind: 'positive' } },
      run: (tf, t) => tf.reciprocal(tf.clone(tf.cast(t.x, 'float32'))),
      reference: (a) => map(a.x, (v) => 1 / v),
    },
    {
      // Piecewise-constant ops have gradient 0 away from their jumps (the inputs stay
      // 0.05 from 0; a draw within 1e-6 of +-0.5 or +-1 would be needed to straddle one).
      name: 'floor, ceil, round, sign, step, onesLike, zerosLike: zero gradients',
      inputs: { x: { shape } },
      run: (tf, t) =>
        tf.addN([t.x, tf.floor(t.x), tf.ceil(t.x), tf.round(t.x), tf.sign(t.x), tf.step(t.x), tf.onesLike(t.x), tf.zerosLike(t.x)]),
      reference: (a) =>
        map(a.x, (v) => v + Math.floor(v) + Math.ceil(v) + (Math.abs(v - Math.trunc(v)) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v)) + Math.sign(v) + (v > 0 ? 1 : 0) + 1),
    },
  ];
}

/** Every op the layers use, forward and gradient. */
export function conformanceCases(): ConformanceCase[] {
  return [
    ...convCases(),
    ...conv2dTransposeCases(),
    ...depthwiseCases(),
    ...poolCases(),
    ...denseCases(),
    ...batchNormCases(),
    ...activationCases(),
    ...resizeCases(),
    ...lossCases(),
    ...layoutCases(),
    ...registeredGradientCases(),
  ];
}
