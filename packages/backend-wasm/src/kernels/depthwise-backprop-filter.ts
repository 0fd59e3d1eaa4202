import { tf } from '@cnnkit/tensor-core';
import { KernelContext, pair, windowFilter } from './kernel-context.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * DepthwiseConv2dNativeBackpropFilter, which tfjs-backend-wasm lacks: the same
 * one-hot im2col as the dense case, then one GEMM per channel (a batched matmul).
 */
export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend: anyBackend }) => {
    const backend = anyBackend as tf.KernelBackend;
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dimRoundingMode, filterShape, dilations } = attrs as unknown as Attrs;
    const [kh, kw, c, m] = filterShape;
    const taps = kh * kw;
    const ctx = new KernelContext(backend);
    try {
      const filter = ctx.constant(windowFilter(kh, kw, c), [kh, kw, c, taps]);
      const windows = ctx.run(tf.DepthwiseConv2dNative, { x, filter }, {
        strides, pad, dilations: pair(dilations), dimRoundingMode,
      });
      const [n, oh, ow] = windows.shape;
      const rows = n * oh * ow;
      const a = ctx.transpose(ctx.reshape(windows, [rows, c, taps]), [1, 0, 2]);
      const b = ctx.transpose(ctx.reshape(dy, [rows, c, m]), [1, 0, 2]);
      const product = ctx.run(tf.BatchMatMul, { a, b }, { transposeA: true, transposeB: false });
      const byChannel = ctx.reshape(product, [c, kh, kw, m]);
      return ctx.release(ctx.transpose(byChannel, [1, 2, 0, 3]));
    } catch (error) {
      ctx.releaseAll();
      throw error;
    }
  },
};
