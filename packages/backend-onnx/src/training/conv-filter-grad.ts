import { attr, type GraphBuilder } from './graph-builder.js';

/**
 * The one-hot kernel of the window-gathering grouped convolution: output channel
 * `i*kh*kw + ky*kw + kx` copies input channel `i` shifted by `(ky, kx)`, so its output
 * is the im2col of the input in the OIHW order of the filter gradient.
 */
export function oneHotWindowKernel(inChannels: number, kh: number, kw: number): Float32Array {
  const k = kh * kw;
  const out = new Float32Array(inChannels * k * k);
  for (let c = 0; c < inChannels * k; c++) out[c * k + (c % k)] = 1;
  return out;
}

/** How a convolution walks its input: kernel size, strides, pads `[top, left, bottom, right]`, dilations. */
export interface ConvGeometry {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly pads: readonly number[];
  readonly dilations: readonly [number, number];
}

/**
 * The shifted windows of an NCHW tensor `x` `[N, C, H, W]` as `[N, C*kh*kw, P]`
 * (P the output pixels), by a grouped Conv with a constant one-hot kernel (measured
 * ~2x faster than Pad + Slices + Concat); a 1x1 stride-1 unpadded kernel needs none.
 */
export function emitWindows(b: GraphBuilder, base: string, x: string, shape: readonly number[], g: ConvGeometry, pixels: number): string {
  const [n, c] = shape;
  const [kh, kw] = g.kernel;
  const k = c * kh * kw;
  const trivial = kh === 1 && kw === 1 && g.strides.every((s) => s === 1) && g.pads.every((p) => p === 0);
  const windows = trivial
    ? x
    : b.op('Conv', [x, b.constant(`${base}/onehot`, [k, 1, kh, kw], oneHotWindowKernel(c, kh, kw))], `${base}/windows`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', g.strides),
        attr.ints('pads', g.pads),
        attr.ints('dilations', g.dilations),
        attr.int('group', c),
      ]);
  return b.op('Reshape', [windows, b.int64('shape', [n, k, pixels])], `${base}/cols`);
}

/**
 * The filter gradient of a convolution `z = conv(x, K)` (K `[O, I, kh, kw]`):
 * `dK[o, i, a, c] = Σ_n Σ_p dz[n, o, p] · x[n, i, window(p) + (a, c)]`, a MatMul of the
 * gradient `[N, O, P]` with the windows `[N, P, I*kh*kw]`, summed over the batch.
 * `x` and `dz` are NCHW. Also the filter gradient of a transposed convolution, with
 * the roles of its input and output gradient swapped.
 */
export function emitFilterGrad(
  b: GraphBuilder,
  base: string,
  x: { name: string; shape: readonly number[] },
  dz: { name: string; shape: readonly number[] },
  g: ConvGeometry,
): string {
  const [n, ci] = x.shape;
  const [, co, oh, ow] = dz.shape;
  const [kh, kw] = g.kernel;
  const p = oh * ow;
  const cols = emitWindows(b, base, x.name, x.shape, g, p);
  const dz3 = b.op('Reshape', [dz.name, b.int64('shape', [n, co, p])], `${base}/dz3`);
  if (windowsFirst(ci * kh * kw, co, p)) {
    const dzT = b.op('Transpose', [dz3], `${base}/dz_t`, [attr.ints('perm', [0, 2, 1])]);
    const perExample = b.op('MatMul', [cols, dzT], `${base}/dw_n`);
    const dwT = b.op('ReduceSum', [perExample, b.int64('axes', [0])], `${base}/dw_sum`, [attr.int('keepdims', 0)]);
    const dw = b.op('Transpose', [dwT], `${base}/dw`, [attr.ints('perm', [1, 0])]);
    return b.op('Reshape', [dw, b.int64('shape', [co, ci, kh, kw])], `${base}/dkernel`);
  }
  const colsT = b.op('Transpose', [cols], `${base}/cols_t`, [attr.ints('perm', [0, 2, 1])]);
  const perExample = b.op('MatMul', [dz3, colsT], `${base}/dw_n`);
  const dw = b.op('ReduceSum', [perExample, b.int64('axes', [0])], `${base}/dw_sum`, [attr.int('keepdims', 0)]);
  return b.op('Reshape', [dw, b.int64('shape', [co, ci, kh, kw])], `${base}/dkernel`);
}

/**
 * Operand order of the filter gradient's MatMul (onnxruntime fuses either Transpose
 * into it and packs its second operand transposed): the windows `[W, P]` first when
 * they are the wider operand over many pixels, so only the gradient `[O, P]` is
 * packed. Measured (2 AVX-512 cores, batch 32, the tutorial's layers): 40% less
 * MatMul time at 16→32 filters over 64x64 pixels, 25% less at 32→64 over 32x32,
 * 15% more at 64→128 over 16x16 and even at 3→16 over 128x128, hence the bounds.
 */
export function windowsFirst(windowChannels: number, outChannels: number, pixels: number): boolean {
  return windowChannels >= 2 * outChannels && pixels >= 1024;
}

/**
 * The filter gradient of a depthwise convolution (grouped Conv, `group` = C, kernel
 * `[C*M, 1, kh, kw]`): per input channel c, `dK[c*M + m] = Σ dz[n, c*M + m, p] · x[n, c, window]`,
 * a batched MatMul `[N, C, M, P] × [N, C, P, kh*kw]`, summed over the batch.
 */
export function emitDepthwiseFilterGrad(
  b: GraphBuilder,
  base: string,
  x: { name: string; shape: readonly number[] },
  dz: { name: string; shape: readonly number[] },
  g: ConvGeometry,
): string {
  const [n, c] = x.shape;
  const [, cm, oh, ow] = dz.shape;
  const m = cm / c;
  const [kh, kw] = g.kernel;
  const p = oh * ow;
  const cols = emitWindows(b, base, x.name, x.shape, g, p);
  const cols4 = b.op('Reshape', [cols, b.int64('shape', [n, c, kh * kw, p])], `${base}/cols4`);
  const colsT = b.op('Transpose', [cols4], `${base}/cols_t`, [attr.ints('perm', [0, 1, 3, 2])]);
  const dz4 = b.op('Reshape', [dz.name, b.int64('shape', [n, c, m, p])], `${base}/dz4`);
  const perExample = b.op('MatMul', [dz4, colsT], `${base}/dw_n`);
  const dw = b.op('ReduceSum', [perExample, b.int64('axes', [0])], `${base}/dw_sum`, [attr.int('keepdims', 0)]);
  return b.op('Reshape', [dw, b.int64('shape', [cm, 1, kh, kw])], `${base}/dkernel`);
}

/** Bias gradient of an NCHW gradient `[N, O, ...]`: over the contiguous pixels first, then the batch (one ReduceSum over [0, 2, 3] was 5x slower). */
export function emitBiasGrad(b: GraphBuilder, base: string, dz: { name: string; shape: readonly number[] }): string {
  const [n, co] = dz.shape;
  const dz3 = b.op('Reshape', [dz.name, b.int64('shape', [n, co, -1])], `${base}/dz3_bias`);
  const perExample = b.op('ReduceSum', [dz3, b.int64('axes', [2])], `${base}/dbias_n`, [attr.int('keepdims', 0)]);
  return b.op('ReduceSum', [perExample, b.int64('axes', [0])], `${base}/dbias`, [attr.int('keepdims', 0)]);
}
