import { tf } from '@cnnkit/tensor-core';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { KernelContext, pair, windowFilter } from './kernel-context.js';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Padding value that never wins a max and stays finite (0 * it is 0, not NaN). */
const LOWEST = -3.4e38;

/**
 * Replaces tfjs-backend-wasm's MaxPoolGrad, which the conformance suite shows to
 * be wrong (gradients land on the wrong cells). Windows are extracted by a
 * depthwise convolution with a one-hot filter, the first maximum of each window
 * is found by ArgMax (TensorFlow's tie rule), and the one-hot of it times dy is
 * scattered back by the adjoint of the window extraction.
 */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend: anyBackend }) => {
    const backend = anyBackend as tf.KernelBackend;
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as Attrs;
    const [kh, kw] = pair(filterSize);
    const [n, , , c] = input.shape;
    const taps = kh * kw;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number], [kh, kw], strides, 1, pad, dimRoundingMode,
    );
    const { top, bottom, left, right } = info.padInfo;
    const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
    const ctx = new KernelContext(backend);
    try {
      const filter = ctx.constant(windowFilter(kh, kw, c), [kh, kw, c, taps]);
      const padded = top + bottom + left + right > 0
        ? ctx.run(tf.PadV2, { x: input }, { paddings: explicit, constantValue: LOWEST })
        : input;
      const windows = ctx.run(tf.DepthwiseConv2dNative, { x: padded, filter }, {
        strides, pad: 'valid', dilations: [1, 1],
      });
      const [, oh, ow] = windows.shape;
      const cells = n * oh * ow * c;
      const best = ctx.run(tf.ArgMax, { x: ctx.reshape(windows, [cells, taps]) }, { axis: [1] });
      // Not tfjs's OneHot: on wasm it writes int32 bits into a float32 buffer.
      const tapIds = ctx.constant(Int32Array.from({ length: taps }, (_, i) => i), [1, taps], 'int32');
      const isBest = ctx.run(tf.Equal, { a: ctx.reshape(best, [cells, 1]), b: tapIds });
      const hot = ctx.run(tf.Cast, { x: isBest }, { dtype: 'float32' });
      const routed = ctx.run(tf.Multiply, { a: hot, b: ctx.reshape(dy, [cells, 1]) });
      const dx = depthwiseBackpropInputConfig.kernelFunc({
        inputs: { dy: ctx.reshape(routed, [n, oh, ow, c * taps]), filter },
        attrs: { strides, pad: explicit, dilations: [1, 1], inputShape: input.shape } as unknown as tf.NamedAttrMap,
        backend,
      }) as tf.TensorInfo;
      return ctx.release(dx);
    } catch (error) {
      ctx.releaseAll();
      throw error;
    }
  },
};
