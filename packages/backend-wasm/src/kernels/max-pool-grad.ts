import { tf } from '@cnnkit/tensor-core';
import { depthwiseBackpropInput } from './depthwise-backprop-input.js';
import { composedKernel, pair, windowFilter, type KernelContext } from './kernel-context.js';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Padding value that never wins a max and stays finite (0 * it is 0, not NaN). */
const LOWEST = -3.4e38;

/**
 * [cells, taps] window values -> [cells, taps] gradient: the upstream value goes to
 * the first maximum of each row (ArgMax), TensorFlow's tie rule. wasm's OneHot
 * writes int32 values whatever dtype is asked, so it is asked for int32 and cast;
 * a broadcast Equal against tap ids would be ~50x slower.
 */
function routeToFirstMax(ctx: KernelContext, windows: tf.TensorInfo, dy: tf.TensorInfo, cells: number, taps: number) {
  const best = ctx.run(tf.ArgMax, { x: windows }, { axis: [1] });
  const hotInt = ctx.run(tf.OneHot, { indices: best }, { depth: taps, onValue: 1, offValue: 0, dtype: 'int32' });
  const hot = ctx.run(tf.Cast, { x: hotInt }, { dtype: 'float32' });
  return ctx.run(tf.Multiply, { a: hot, b: ctx.reshape(dy, [cells, 1]) });
}

/** The two methods of tfjs-backend-wasm's backend this kernel writes through (not in tfjs-core's KernelBackend type). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * Non-overlapping windows without padding (the usual 2x2, stride 2 pooling): one pass
 * over the input in wasm memory, each window's gradient written at its first maximum
 * in row-major order (TensorFlow's tie rule: a later tap must be strictly greater).
 * Why a loop: the composed form (transpose, ArgMax, int32 OneHot, Cast, multiply,
 * transpose back) made six passes and was ~5x slower; a typed-array loop is what
 * tfjs-backend-wasm itself does for Concat and Cast.
 */
function tiledGrad(ctx: KernelContext, dy: tf.TensorInfo, input: tf.TensorInfo, kh: number, kw: number): tf.TensorInfo {
  const [n, h, w, c] = input.shape;
  const [, oh, ow] = dy.shape;
  const heap = ctx.backend as unknown as WasmHeap;
  const out = ctx.adopt(heap.makeOutput([n, h, w, c], 'float32'));
  // Views after the allocation: growing wasm memory detaches earlier ones.
  const x = heap.typedArrayFromHeap(input);
  const g = heap.typedArrayFromHeap(dy);
  const dx = heap.typedArrayFromHeap(out);
  const rowStride = w * c;
  if (kh === 2 && kw === 2) {
    // The common case, unrolled: every cell of every window is written (no zero-fill
    // pass), reads and writes walk memory forward.
    if (oh * 2 !== h || ow * 2 !== w) dx.fill(0);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const corner = (b * h + i * 2) * rowStride + j * 2 * c;
          const cell = ((b * oh + i) * ow + j) * c;
          for (let ch = 0; ch < c; ch++) {
            const p00 = corner + ch;
            const p01 = p00 + c;
            const p10 = p00 + rowStride;
            const p11 = p10 + c;
            let best = 0;
            let m = x[p00];
            if (x[p01] > m) {
              m = x[p01];
              best = 1;
            }
            if (x[p10] > m) {
              m = x[p10];
              best = 2;
            }
            if (x[p11] > m) best = 3;
            const v = g[cell + ch];
            dx[p00] = best === 0 ? v : 0;
            dx[p01] = best === 1 ? v : 0;
            dx[p10] = best === 2 ? v : 0;
            dx[p11] = best === 3 ? v : 0;
          }
        }
      }
    }
    return out;
  }
  dx.fill(0);
  // Per channel of the current window: the best value so far and where it is. Taps
  // outer, channels inner: every read walks memory forward.
  const bestValue = new Float32Array(c);
  const bestAt = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const corner = (b * h + i * kh) * rowStride + j * kw * c;
        for (let ch = 0; ch < c; ch++) {
          bestValue[ch] = x[corner + ch];
          bestAt[ch] = corner + ch;
        }
        for (let a = 0; a < kh; a++) {
          for (let q = a === 0 ? 1 : 0; q < kw; q++) {
            const tap = corner + a * rowStride + q * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[tap + ch];
              if (v > bestValue[ch]) {
                bestValue[ch] = v;
                bestAt[ch] = tap + ch;
              }
            }
          }
        }
        const cell = ((b * oh + i) * ow + j) * c;
        for (let ch = 0; ch < c; ch++) dx[bestAt[ch]] = g[cell + ch];
      }
    }
  }
  return out;
}

/** Any window, stride and padding: one-hot im2col, then the adjoint of it. */
function generalGrad(ctx: KernelContext, dy: tf.TensorInfo, input: tf.TensorInfo, kh: number, kw: number, strides: Attrs['strides'], info: tf.backend_util.Conv2DInfo) {
  const [n, , , c] = input.shape;
  const taps = kh * kw;
  const { top, bottom, left, right } = info.padInfo;
  const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const filter = ctx.constant(windowFilter(kh, kw, c), [kh, kw, c, taps]);
  const padded = ctx.pad(input, explicit, LOWEST);
  const windows = ctx.run(tf.DepthwiseConv2dNative, { x: padded, filter }, { strides, pad: 'valid', dilations: [1, 1] });
  const [, oh, ow] = windows.shape;
  const cells = n * oh * ow * c;
  const routed = routeToFirstMax(ctx, ctx.reshape(windows, [cells, taps]), dy, cells, taps);
  return depthwiseBackpropInput(ctx, { dy: ctx.reshape(routed, [n, oh, ow, c * taps]), filter }, {
    strides, pad: explicit, dilations: [1, 1], inputShape: input.shape as [number, number, number, number],
  });
}

/**
 * Replaces tfjs-backend-wasm's MaxPoolGrad, which the conformance suite shows to
 * be wrong (gradients land on the wrong cells).
 */
export function maxPoolGrad(ctx: KernelContext, { dy, input }: { dy: tf.TensorInfo; input: tf.TensorInfo }, a: Attrs): tf.TensorInfo {
  const [kh, kw] = pair(a.filterSize);
  const [sh, sw] = pair(a.strides);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], [kh, kw], a.strides, 1, a.pad, a.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  if (sh === kh && sw === kw && top + bottom + left + right === 0) return tiledGrad(ctx, dy, input, kh, kw);
  return generalGrad(ctx, dy, input, kh, kw, a.strides, info);
}

export const maxPoolGradConfig = composedKernel(tf.MaxPoolGrad, maxPoolGrad);
