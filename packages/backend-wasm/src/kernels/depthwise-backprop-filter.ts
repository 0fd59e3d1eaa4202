import { tf } from '@cnnkit/tensor-core';
import { composedKernel, pair, windowFilter, type KernelContext } from './kernel-context.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** The same one-hot im2col as the dense case, then one GEMM per channel (a batched matmul). */
export function depthwiseBackpropFilter(ctx: KernelContext, { x, dy }: { x: tf.TensorInfo; dy: tf.TensorInfo }, a: Attrs): tf.TensorInfo {
  const [kh, kw, c, m] = a.filterShape;
  const taps = kh * kw;
  const filter = ctx.constant(windowFilter(kh, kw, c), [kh, kw, c, taps]);
  const windows = ctx.run(tf.DepthwiseConv2dNative, { x, filter }, {
    strides: a.strides, pad: a.pad, dilations: pair(a.dilations), dimRoundingMode: a.dimRoundingMode,
  });
  const [n, oh, ow] = windows.shape;
  const rows = n * oh * ow;
  const windowsT = ctx.transpose(ctx.reshape(windows, [rows, c, taps]), [1, 2, 0]); // [c, taps, rows]
  const dyByChannel = ctx.transpose(ctx.reshape(dy, [rows, c, m]), [1, 0, 2]); // [c, rows, m]
  const product = ctx.run(tf.BatchMatMul, { a: windowsT, b: dyByChannel }, { transposeA: false, transposeB: false });
  return ctx.transpose(ctx.reshape(product, [c, kh, kw, m]), [1, 2, 0, 3]);
}

/** DepthwiseConv2dNativeBackpropFilter, which tfjs-backend-wasm lacks. */
export const depthwiseBackpropFilterConfig = composedKernel(tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter);
