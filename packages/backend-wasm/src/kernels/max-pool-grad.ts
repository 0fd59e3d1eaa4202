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

/**
 * Non-overlapping windows without padding (the usual 2x2, stride 2 pooling): the
 * windows are a reshape and a transpose of the input, no convolution needed.
 */
function tiledGrad(ctx: KernelContext, dy: tf.TensorInfo, input: tf.TensorInfo, kh: number, kw: number): tf.TensorInfo {
  const [n, h, w, c] = input.shape;
  const [, oh, ow] = dy.shape;
  const covered = oh * kh === h && ow * kw === w
    ? input
    : ctx.run(tf.Slice, { x: input }, { begin: [0, 0, 0, 0], size: [n, oh * kh, ow * kw, c] });
  const cells = n * oh * ow * c;
  const windows = ctx.reshape(ctx.transpose(ctx.reshape(covered, [n * oh, kh, ow, kw, c]), [0, 2, 4, 1, 3]), [cells, kh * kw]);
  const routed = routeToFirstMax(ctx, windows, dy, cells, kh * kw);
  const back = ctx.reshape(ctx.transpose(ctx.reshape(routed, [n * oh, ow, c, kh, kw]), [0, 3, 1, 4, 2]), [n, oh * kh, ow * kw, c]);
  return ctx.pad(back, [[0, 0], [0, h - oh * kh], [0, w - ow * kw], [0, 0]]);
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
