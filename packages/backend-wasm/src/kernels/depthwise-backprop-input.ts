import { tf } from '@cnnkit/tensor-core';
import { KernelContext, pair } from './kernel-context.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * The flipped (and dilated) filter as a multiplier-1 depthwise filter over the
 * C*M gradient channels. Built in JS: it has kernel-size elements, not pixels.
 */
function flippedFilter(filter: Float32Array, [kh, kw, c, m]: number[], [dh, dw]: [number, number]) {
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  const channels = c * m;
  const out = new Float32Array(ekh * ekw * channels);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const a = ekh - 1 - i * dh;
      const b = ekw - 1 - j * dw;
      for (let ch = 0; ch < channels; ch++) out[(a * ekw + b) * channels + ch] = filter[(i * kw + j) * channels + ch];
    }
  }
  return { values: out, shape: [ekh, ekw, channels, 1] };
}

/**
 * DepthwiseConv2dNativeBackpropInput, which tfjs-backend-wasm lacks: the
 * transposed depthwise convolution, computed as a stride-1 depthwise convolution
 * of the zero-stuffed, padded gradient with the flipped filter, summed over the
 * channel multiplier.
 */
export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend: anyBackend }) => {
    const backend = anyBackend as tf.KernelBackend;
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dilations, dimRoundingMode, inputShape } = attrs as unknown as Attrs;
    const [kh, kw, c, m] = filter.shape;
    const d = pair(dilations);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, d, pad, dimRoundingMode, true,
    );
    const [n, h, w] = inputShape;
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
    const ekh = info.effectiveFilterHeight;
    const ekw = info.effectiveFilterWidth;
    const ctx = new KernelContext(backend);
    try {
      const filterValues = backend.readSync(filter.dataId) as Float32Array;
      const flipped = flippedFilter(filterValues, [kh, kw, c, m], d);
      const g = ctx.constant(flipped.values, flipped.shape);
      let grad = dy;
      if (sh > 1 || sw > 1) {
        const spread = ctx.run(tf.PadV2, { x: ctx.reshape(dy, [n, oh, 1, ow, 1, c * m]) }, {
          paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0,
        });
        grad = ctx.reshape(spread, [n, oh * sh, ow * sw, c * m]);
      }
      const top = ekh - 1 - info.padInfo.top;
      const left = ekw - 1 - info.padInfo.left;
      let bottom = h + ekh - 1 - top - grad.shape[1];
      let right = w + ekw - 1 - left - grad.shape[2];
      if (bottom < 0 || right < 0) {
        // Only the zeros stuffed after the last row/column can be past the end.
        grad = ctx.run(tf.Slice, { x: grad }, {
          begin: [0, 0, 0, 0],
          size: [n, grad.shape[1] + Math.min(bottom, 0), grad.shape[2] + Math.min(right, 0), c * m],
        });
        bottom = Math.max(bottom, 0);
        right = Math.max(right, 0);
      }
      const padded = ctx.run(tf.PadV2, { x: grad }, {
        paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0,
      });
      const perChannel = ctx.run(tf.DepthwiseConv2dNative, { x: padded, filter: g }, {
        strides: [1, 1], pad: 'valid', dilations: [1, 1],
      });
      if (m === 1) return ctx.release(perChannel);
      const summed = ctx.run(tf.Sum, { x: ctx.reshape(perChannel, [n, h, w, c, m]) }, { axis: [4], keepDims: false });
      return ctx.release(summed);
    } catch (error) {
      ctx.releaseAll();
      throw error;
    }
  },
};
