import { tf } from '@cnnkit/tensor-core';
import { composedKernel, type KernelContext } from './kernel-context.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * dW[kh,kw,ci,co] = sum over (n,oh,ow) of xpad[n, oh*s+kh, ow*s+kw, ci] * dy[n,oh,ow,co]
 * is itself a convolution once batch and channel axes swap places: the padded input
 * as [ci, h, w, n] convolved with dy as a [oh, ow, n, co] filter, dilated by the
 * stride. Measured on tfjs-wasm (XNNPACK) at the tutorial's shapes this is 3-5x
 * faster than im2col by a one-hot depthwise convolution + GEMM, and 2-7x faster
 * than 9 slices + concat + GEMM.
 */
export function conv2dBackpropFilter(ctx: KernelContext, { x, dy }: { x: tf.TensorInfo; dy: tf.TensorInfo }, a: Attrs): tf.TensorInfo {
  const [kh, kw, ci, co] = a.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode,
  );
  const [n] = x.shape;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  if (dy.shape[0] !== n || dy.shape[1] !== oh || dy.shape[2] !== ow || dy.shape[3] !== co) {
    throw new Error(`Conv2DBackpropFilter (wasm): expected dy of shape [${n}, ${oh}, ${ow}, ${co}], received [${dy.shape.join(', ')}]`);
  }
  const { top, bottom, left, right } = info.padInfo;
  const padded = ctx.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
  const channelsFirst = ctx.transpose(padded, [3, 1, 2, 0]);
  const dyFilter = ctx.transpose(dy, [1, 2, 0, 3]);
  let product = ctx.run(tf.Conv2D, { x: channelsFirst, filter: dyFilter }, {
    strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw],
  });
  if (product.shape[1] !== kh || product.shape[2] !== kw) {
    // Rows past the kernel exist when the padded input is longer than the windows read.
    product = ctx.run(tf.Slice, { x: product }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
  }
  return ctx.transpose(product, [1, 2, 0, 3]);
}

/** Conv2DBackpropFilter, which tfjs-backend-wasm lacks. */
export const conv2dBackpropFilterConfig = composedKernel(tf.Conv2DBackpropFilter, conv2dBackpropFilter);
