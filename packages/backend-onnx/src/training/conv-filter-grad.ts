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

/** A 1x1 stride-1 unpadded kernel: the windows are the input itself. */
function isIdentityWindow(g: ConvGeometry): boolean {
  return g.kernel[0] === 1 && g.kernel[1] === 1 && g.strides.every((s) => s === 1) && g.pads.every((p) => p === 0);
}

/**
 * The shifted windows of an NCHW tensor `x` `[N, C, H, W]` as `[N, C*kh*kw, P]`
 * (P the output pixels), by a grouped Conv with a constant one-hot kernel (measured
 * ~2x faster than Pad + Slices + Concat); a 1x1 stride-1 unpadded kernel needs none.
 */
export function emitWindows(b: GraphBuilder, base: string, x: string, shape: readonly number[], g: ConvGeometry, pixels: number, oneHot?: string): string {
  const [n, c] = shape;
  const [kh, kw] = g.kernel;
  const k = c * kh * kw;
  const windows = isIdentityWindow(g)
    ? x
    : b.op('Conv', [x, oneHot ?? b.constant(`${base}/onehot`, [k, 1, kh, kw], oneHotWindowKernel(c, kh, kw))], `${base}/windows`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', g.strides),
        attr.ints('pads', g.pads),
        attr.ints('dilations', g.dilations),
        attr.int('group', c),
      ]);
  return b.op('Reshape', [windows, b.int64('shape', [n, k, pixels])], `${base}/cols`);
}

/** A 4-D tensor of the graph given to the gradient helpers: NCHW, or blocked (`[N, C/B, H, W, B]` storage) with its block. */
export interface GradTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** The NCHWc block when the tensor is blocked; absent or null for NCHW. */
  readonly block?: number | null;
}

/**
 * The filter gradient of a convolution `z = conv(x, K)` (K `[O, I, kh, kw]`):
 * `dK[o, i, a, c] = Σ_n Σ_p dz[n, o, p] · x[n, i, window(p) + (a, c)]`, a MatMul of the
 * windows of `x` `[W = I*kh*kw, P]` with the gradient, summed over the batch. `x` is
 * NCHW; `dz` NCHW or blocked. Also the filter gradient of a transposed convolution,
 * with the roles of its input and output gradient swapped.
 *
 * The batch is cut into chunks whose windows fit in ~4 MiB (`windowChunk`): each
 * chunk's windows are made and multiplied while they are in cache, instead of all
 * windows (9x the input: 414 MB for the tutorial's second layer at 300 px) going
 * through memory. A blocked gradient is the MatMul's second operand as it is stored,
 * `[P, B]` per block, so it needs no NCHW copy. Measured (2 AVX-512 cores, batch 32):
 * 35% less time for that layer at 300 px, 10% at 75x75, even at 128 px.
 */
export function emitFilterGrad(b: GraphBuilder, base: string, x: GradTensor, dz: GradTensor, g: ConvGeometry, chunkBytes = WINDOW_CHUNK_BYTES): string {
  const [, ci] = x.shape;
  const [, co, oh, ow] = dz.shape;
  const [kh, kw] = g.kernel;
  const p = oh * ow;
  const k = ci * kh * kw;
  const block = dz.block ?? null;
  const total = sumOverChunks(b, base, x, dz, g, chunkBytes, (cols, dzi, chunk, i) => {
    if (block !== null) {
      // [c, 1, W, P] x [c, O/B, P, B] -> [c, O/B, W, B]
      const cols4 = b.op('Reshape', [cols, b.int64('shape', [chunk, 1, k, p])], `${base}/cols4_${i}`);
      const dz4 = b.op('Reshape', [dzi, b.int64('shape', [chunk, co / block, p, block])], `${base}/dz_blocks_${i}`);
      return b.op('MatMul', [cols4, dz4], `${base}/dw_n_${i}`);
    }
    const dz3 = b.op('Reshape', [dzi, b.int64('shape', [chunk, co, p])], `${base}/dz3_${i}`);
    return windowsFirst(k, co, p)
      ? b.op('MatMul', [cols, b.op('Transpose', [dz3], `${base}/dz_t_${i}`, [attr.ints('perm', [0, 2, 1])])], `${base}/dw_n_${i}`)
      : b.op('MatMul', [dz3, b.op('Transpose', [cols], `${base}/cols_t_${i}`, [attr.ints('perm', [0, 2, 1])])], `${base}/dw_n_${i}`);
  });
  let dw: string;
  if (block !== null) dw = b.op('Transpose', [total], `${base}/dw`, [attr.ints('perm', [0, 2, 1])]); // [O/B, W, B] -> [O/B, B, W]
  else if (windowsFirst(k, co, p)) dw = b.op('Transpose', [total], `${base}/dw`, [attr.ints('perm', [1, 0])]); // [W, O] -> [O, W]
  else dw = total;
  return b.op('Reshape', [dw, b.int64('shape', [co, ci, kh, kw])], `${base}/dkernel`);
}

/**
 * A filter gradient's sum over the batch, chunk by chunk (`windowChunk`): `x` and `dz`
 * are Split along the batch, each chunk's windows of `x` are gathered (one one-hot
 * constant for all), `product` multiplies them with the chunk of `dz` into
 * `[chunk, ...]`, and the chunks' sums over their images are added up.
 */
function sumOverChunks(
  b: GraphBuilder,
  base: string,
  x: GradTensor,
  dz: GradTensor,
  g: ConvGeometry,
  chunkBytes: number,
  product: (cols: string, dzChunk: string, chunk: number, index: number) => string,
): string {
  const [n, c] = x.shape;
  const [kh, kw] = g.kernel;
  const k = c * kh * kw;
  const p = dz.shape[2] * dz.shape[3];
  const chunk = windowChunk(n, k * p * 4, chunkBytes);
  const parts = n / chunk;
  const split = (t: string, what: string) =>
    parts === 1 ? [t] : b.opN('Split', [t], Array.from({ length: parts }, (_, i) => `${base}/${what}_${i}`), [attr.int('axis', 0)]);
  const dzs = split(dz.name, 'dz_chunk');
  const oneHot = isIdentityWindow(g) ? undefined : b.constant(`${base}/onehot`, [k, 1, kh, kw], oneHotWindowKernel(c, kh, kw));
  const sums = split(x.name, 'x_chunk').map((xi, i) => {
    const cols = emitWindows(b, `${base}/chunk_${i}`, xi, [chunk, ...x.shape.slice(1)], g, p, oneHot);
    const perImage = product(cols, dzs[i], chunk, i);
    return chunk === 1
      ? b.op('Squeeze', [perImage, b.int64('axes', [0])], `${base}/dw_chunk_${i}`)
      : b.op('ReduceSum', [perImage, b.int64('axes', [0])], `${base}/dw_chunk_${i}`, [attr.int('keepdims', 0)]);
  });
  return sums.length === 1 ? sums[0] : b.op('Sum', sums, `${base}/dw_sum`);
}

/** Bytes of windows one chunk of the filter gradient holds at most (a slice of the L3 cache of the machines measured: 2 MiB L2 per core, 32 MiB L3). */
export const WINDOW_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Images per chunk of the filter gradient: the most that divides the batch and keeps a
 * chunk's windows within `chunkBytes` (at least 1). Measured best at 1-2 images for
 * the tutorial's first three layers at 128 px and 1 at 300 px; at 16x16x64 (0.6 MB an
 * image) 2 and 8 measured alike, 32 slower (the bound gives 4).
 */
export function windowChunk(batch: number, bytesPerImage: number, chunkBytes = WINDOW_CHUNK_BYTES): number {
  for (let c = batch; c > 1; c--) if (batch % c === 0 && c * bytesPerImage <= chunkBytes) return c;
  return 1;
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
 * a batched MatMul `[N, C, M, P] × [N, C, P, kh*kw]`, summed over the batch — in chunks
 * of images as `emitFilterGrad` (the windows are 9x the input here too). NCHW tensors.
 */
export function emitDepthwiseFilterGrad(b: GraphBuilder, base: string, x: GradTensor, dz: GradTensor, g: ConvGeometry, chunkBytes = WINDOW_CHUNK_BYTES): string {
  const [, c] = x.shape;
  const [, cm, oh, ow] = dz.shape;
  const m = cm / c;
  const [kh, kw] = g.kernel;
  const p = oh * ow;
  const dw = sumOverChunks(b, base, x, dz, g, chunkBytes, (cols, dzi, chunk, i) => {
    const cols4 = b.op('Reshape', [cols, b.int64('shape', [chunk, c, kh * kw, p])], `${base}/cols4_${i}`);
    const colsT = b.op('Transpose', [cols4], `${base}/cols_t_${i}`, [attr.ints('perm', [0, 1, 3, 2])]);
    const dz4 = b.op('Reshape', [dzi, b.int64('shape', [chunk, c, m, p])], `${base}/dz4_${i}`);
    return b.op('MatMul', [dz4, colsT], `${base}/dw_n_${i}`);
  });
  return b.op('Reshape', [dw, b.int64('shape', [cm, 1, kh, kw])], `${base}/dkernel`);
}

/**
 * Bias gradient: over the contiguous pixels first, then the batch (one ReduceSum over
 * [0, 2, 3] was 5x slower). A blocked gradient sums its storage `[N*C/B, P, B]` over
 * the pixels as it is (measured 2.4 ms against 13 ms for an NCHW copy and its sum at
 * 32x32x150x150).
 */
export function emitBiasGrad(b: GraphBuilder, base: string, dz: GradTensor): string {
  const [n, co] = dz.shape;
  const block = dz.block ?? null;
  const dz3 = b.op('Reshape', [dz.name, b.int64('shape', block === null ? [n, co, -1] : [(n * co) / block, -1, block])], `${base}/dz3_bias`);
  const pixels = b.op('ReduceSum', [dz3, b.int64('axes', [block === null ? 2 : 1])], `${base}/dbias_n`, [attr.int('keepdims', 0)]);
  const perExample = block === null ? pixels : b.op('Reshape', [pixels, b.int64('shape', [n, co])], `${base}/dbias_nc`);
  return b.op('ReduceSum', [perExample, b.int64('axes', [0])], `${base}/dbias`, [attr.int('keepdims', 0)]);
}
