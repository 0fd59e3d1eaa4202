/**
 * TensorFlow's convolution/pooling output size and padding, per spatial axis.
 *
 * "same": out = ceil(in / stride); the total padding is split with the smaller
 * half first, so an even size with stride 2 and kernel 3 pads 0 before and 1
 * after. We write these as explicit ONNX `pads` computed from the static size
 * instead of `auto_pad=SAME_UPPER` so the file states exactly what it does (the
 * two agree: SAME_UPPER also puts the odd pixel at the end).
 *
 * @example
 * samePadding1d(64, 3, 2, 1) // { out: 32, before: 0, after: 1 }
 */
export function samePadding1d(size: number, kernel: number, stride: number, dilation: number): { out: number; before: number; after: number } {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** "valid": no padding; out = floor((in - effectiveKernel) / stride) + 1. */
export function validOutput1d(size: number, kernel: number, stride: number, dilation: number): number {
  const effective = (kernel - 1) * dilation + 1;
  return Math.floor((size - effective) / stride) + 1;
}

export type Padding = 'valid' | 'same';

/** Output [h, w] and ONNX pads [top, left, bottom, right] for a 2-D window op. */
export function windowPads(
  padding: Padding,
  size: readonly [number, number],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number] = [1, 1],
): { out: [number, number]; pads: [number, number, number, number] } {
  if (padding === 'valid') {
    return {
      out: [validOutput1d(size[0], kernel[0], strides[0], dilations[0]), validOutput1d(size[1], kernel[1], strides[1], dilations[1])],
      pads: [0, 0, 0, 0],
    };
  }
  const h = samePadding1d(size[0], kernel[0], strides[0], dilations[0]);
  const w = samePadding1d(size[1], kernel[1], strides[1], dilations[1]);
  return { out: [h.out, w.out], pads: [h.before, w.before, h.after, w.after] };
}

/**
 * Keras's Conv2DTranspose output length (`deconv_output_length`) for one axis.
 * Without output padding: valid -> in*stride + max(k_eff - stride, 0), same -> in*stride;
 * with it: (in-1)*stride + k_eff - 2*pad + outputPadding, pad = floor(k_eff/2) for same.
 */
export function transposeOutput1d(size: number, kernel: number, stride: number, dilation: number, padding: Padding, outputPadding: number | null): number {
  const effective = (kernel - 1) * dilation + 1;
  if (outputPadding === null) {
    return padding === 'valid' ? size * stride + Math.max(effective - stride, 0) : size * stride;
  }
  const pad = padding === 'same' ? Math.floor(effective / 2) : 0;
  return (size - 1) * stride + effective - 2 * pad + outputPadding;
}

/**
 * ONNX ConvTranspose crop/extension for one axis that reproduces TensorFlow's
 * conv2d_transpose into `out`: TF pads the forward convolution (out -> in) by its
 * own rule, so the full transposed result ((in-1)*stride + k_eff) is cropped by the
 * forward pad before, and the rest after; when the full result is shorter than
 * `out` (kernel < stride) the missing tail is ONNX `output_padding` (zeros + bias).
 */
export function transposePads1d(
  size: number,
  out: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
): { before: number; after: number; outputPadding: number } {
  const effective = (kernel - 1) * dilation + 1;
  const full = (size - 1) * stride + effective;
  const before = padding === 'same' ? Math.floor(Math.max((size - 1) * stride + effective - out, 0) / 2) : 0;
  const after = full - out - before;
  return after >= 0 ? { before, after, outputPadding: 0 } : { before, after: 0, outputPadding: -after };
}
