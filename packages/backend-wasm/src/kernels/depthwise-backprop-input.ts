import { tf } from '@cnnkit/tensor-core';
import { composedKernel, pair, stuffAndPad, type KernelContext } from './kernel-context.js';

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
 * The transposed depthwise convolution: a stride-1 depthwise convolution of the
 * zero-stuffed, padded gradient with the flipped filter, summed over the channel
 * multiplier.
 */
export function depthwiseBackpropInput(ctx: KernelContext, { dy, filter }: { dy: tf.TensorInfo; filter: tf.TensorInfo }, a: Attrs): tf.TensorInfo {
  const [kh, kw, c, m] = filter.shape;
  const d = pair(a.dilations);
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape, filter.shape as [number, number, number, number], a.strides, d, a.pad, a.dimRoundingMode, true,
  );
  const [n, h, w] = a.inputShape;
  const flipped = flippedFilter(ctx.backend.readSync(filter.dataId) as Float32Array, [kh, kw, c, m], d);
  const g = ctx.constant(flipped.values, flipped.shape);
  const padded = stuffAndPad(ctx, dy, info, h, w);
  const perChannel = ctx.run(tf.DepthwiseConv2dNative, { x: padded, filter: g }, { strides: [1, 1], pad: 'valid', dilations: [1, 1] });
  if (m === 1) return perChannel;
  return ctx.run(tf.Sum, { x: ctx.reshape(perChannel, [n, h, w, c, m]) }, { axis: [4], keepDims: false });
}

/** DepthwiseConv2dNativeBackpropInput, which tfjs-backend-wasm lacks. */
export const depthwiseBackpropInputConfig = composedKernel(tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput);
