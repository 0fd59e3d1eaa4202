import type * as Ort from 'onnxruntime-node';
import { attr, GraphBuilder } from './graph-builder.js';
import type { Sym } from './lowering.js';

/**
 * onnxruntime's blocked-channel operators (`com.microsoft.nchwc`). A blocked tensor
 * of logical shape `[N, C, H, W]` is stored as `[N, C/B, H, W, B]`: B channels side
 * by side, so its convolutions run on onnxruntime's NCHWc kernels (MLAS), about twice
 * as fast here as the plain `Conv` and 2.5x as fast as `ConvTranspose` (measured on
 * 2 AVX2 cores, batch 32). onnxruntime picks these kernels itself only for constant
 * weights; in a training graph the weights are inputs, so the graph reorders them
 * itself (a few Reshape/Transpose ops on tensors of a few thousand values).
 */
export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

/** NCHW → blocked (`C` must be a multiple of the block). */
export function reorderInput(b: GraphBuilder, x: Sym, base: string): Sym {
  return { name: b.op('ReorderInput', [x.name], base, [], NCHWC_DOMAIN), shape: x.shape, layout: 'NCHWc' };
}

/** Blocked → NCHW. */
export function reorderOutput(b: GraphBuilder, x: Sym, base: string): Sym {
  return { name: b.op('ReorderOutput', [x.name], base, [attr.int('channels', x.shape[1])], NCHWC_DOMAIN), shape: x.shape, layout: 'NCHW' };
}

/**
 * An OIHW kernel in the order the NCHWc convolution reads: `OIHWBiBo` for a blocked
 * input (`[O/B, I/B, kh, kw, Bi, Bo]`), `OIHWBo` for an NCHW input with fewer than B
 * channels (`[O/B, I, kh, kw, Bo]`). The result keeps the logical shape `[O, I, kh, kw]`.
 */
export function blockedFilter(b: GraphBuilder, kernel: string, shape: readonly number[], block: number, blockedInput: boolean, base: string): string {
  const [o, i, kh, kw] = shape;
  const k = kh * kw;
  const split = blockedInput ? [o / block, block, i / block, block, k] : [o / block, block, i, k];
  const perm = blockedInput ? [0, 2, 4, 3, 1] : [0, 2, 3, 1];
  const grouped = b.op('Reshape', [kernel, b.int64('shape', split)], `${base}/split`);
  const moved = b.op('Transpose', [grouped], `${base}/blocked`, [attr.ints('perm', perm)]);
  return b.op('Reshape', [moved, b.int64('shape', [o, i, kh, kw])], `${base}/filter`);
}

/** `W'[i, o, a, c] = W[o, i, kh-1-a, kw-1-c]`: the kernel of the stride-1 input gradient as a convolution. */
export function flippedTransposedFilter(b: GraphBuilder, kernel: string, base: string): string {
  const t = b.op('Transpose', [kernel], `${base}/t`, [attr.ints('perm', [1, 0, 2, 3])]);
  const big = -(2 ** 62);
  return b.op('Slice', [t, b.int64('starts', [-1, -1]), b.int64('ends', [big, big]), b.int64('axes', [2, 3]), b.int64('steps', [-1, -1])], `${base}/flipped`);
}

/** The blocked tensor `x` as its storage shape `[N, C/B, H, W, B]` (a free Reshape). */
export function storageView(b: GraphBuilder, x: Sym, block: number, base: string): string {
  const [n, c, h, w] = x.shape;
  return b.op('Reshape', [x.name, b.int64('shape', [n, c / block, h, w, block])], base);
}

const probes = new WeakMap<object, Promise<number | null>>();

/**
 * The channel block of onnxruntime's NCHWc kernels on this CPU (8 with AVX2, 16 with
 * AVX-512), read from what `ReorderInput` does to a known tensor; null when this
 * onnxruntime build or CPU has no NCHWc kernels (the graph then stays NCHW).
 */
export function probeNchwcBlock(ort: typeof Ort): Promise<number | null> {
  let probe = probes.get(ort);
  if (probe === undefined) {
    probe = (async () => {
      const channels = 64;
      const g = new GraphBuilder();
      const x = g.input('x', [1, channels, 1, 2]);
      g.output(reorderInput(g, { name: x, shape: [1, channels, 1, 2], layout: 'NCHW' }, 'y').name, 'out', [1, channels, 1, 2]);
      let session: Ort.InferenceSession | null = null;
      try {
        session = await ort.InferenceSession.create(g.toBytes('nchwc_probe'), { intraOpNumThreads: 1 });
        // x[c, p] = 2c + p; blocked, y[(cb*2 + p)*B + j] = x[cb*B + j, p], so x[0, 1] = 1 lands at index B.
        const values = Float32Array.from({ length: channels * 2 }, (_, idx) => idx);
        const out = (await session.run({ x: new ort.Tensor('float32', values, [1, channels, 1, 2]) })).out.data as Float32Array;
        const block = out.indexOf(1);
        if (![4, 8, 16, 32].includes(block)) return null;
        for (let j = 0; j < out.length; j++) {
          const cb = Math.floor(j / (2 * block));
          const p = Math.floor(j / block) % 2;
          if (out[j] !== 2 * (cb * block + (j % block)) + p) return null;
        }
        return block;
      } catch {
        return null;
      } finally {
        await session?.release();
      }
    })();
    probes.set(ort, probe);
  }
  return probe;
}
