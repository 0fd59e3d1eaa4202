import { tf } from '@cnnkit/tensor-core';
import { KernelContext, windowFilter } from './kernel-context.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Conv2DBackpropFilter, which tfjs-backend-wasm lacks. dW[kh,kw,ci,co] is
 * sum over (n,oh,ow) of window(x)[.., ci, tap] * dy[.., co]: the windows come from
 * one depthwise convolution with a one-hot filter (im2col), the sum is one GEMM.
 */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend: anyBackend }) => {
    const backend = anyBackend as tf.KernelBackend;
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
    const [kh, kw, ci, co] = filterShape;
    const taps = kh * kw;
    const ctx = new KernelContext(backend);
    try {
      const filter = ctx.constant(windowFilter(kh, kw, ci), [kh, kw, ci, taps]);
      const windows = ctx.run(tf.DepthwiseConv2dNative, { x, filter }, { strides, pad, dilations: [1, 1], dimRoundingMode });
      const [n, oh, ow] = windows.shape;
      if (dy.shape[1] !== oh || dy.shape[2] !== ow || dy.shape[0] !== n || dy.shape[3] !== co) {
        throw new Error(
          `Conv2DBackpropFilter (wasm): expected dy of shape [${n}, ${oh}, ${ow}, ${co}], received [${dy.shape.join(', ')}]`,
        );
      }
      const rows = n * oh * ow;
      // tfjs-wasm's matmul with transposeA is ~10x slower than an explicit
      // Transpose + plain matmul, so transpose whichever operand is smaller.
      const windows2d = ctx.reshape(windows, [1, rows, ci * taps]);
      const dy2d = ctx.reshape(dy, [1, rows, co]);
      if (co <= ci * taps) {
        const dyT = ctx.transpose(dy2d, [0, 2, 1]);
        const product = ctx.run(tf.BatchMatMul, { a: dyT, b: windows2d }, { transposeA: false, transposeB: false });
        // [co, ci, kh, kw] -> [kh, kw, ci, co]
        return ctx.release(ctx.transpose(ctx.reshape(product, [co, ci, kh, kw]), [2, 3, 1, 0]));
      }
      const windowsT = ctx.transpose(windows2d, [0, 2, 1]);
      const product = ctx.run(tf.BatchMatMul, { a: windowsT, b: dy2d }, { transposeA: false, transposeB: false });
      return ctx.release(ctx.transpose(ctx.reshape(product, [ci, kh, kw, co]), [1, 2, 0, 3]));
    } catch (error) {
      ctx.releaseAll();
      throw error;
    }
  },
};
