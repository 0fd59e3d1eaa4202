import type { MaxPooling2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import { count, tfPads, type LayerLowering, type LoweringContext, type Sym } from './lowering.js';

/**
 * MaxPooling2D: forward `MaxPool` with its `Indices` output; backward routes each
 * output gradient to the one position MaxPool chose (the first maximum in row-major
 * order, TensorFlow's tie rule), so ties are exact. Non-overlapping windows use
 * MaxUnpool; overlapping ones (stride < pool) must add, so they scatter with
 * ScatterElements(reduction = add) into the flattened input.
 *
 * `reluFirst` (the Conv2D before has a deferred ReLU): `maxpool(relu(z)) = relu(maxpool(z))`,
 * and the gradients agree too, ties included — where a window's maximum is positive
 * both pick the same first maximum; where it is <= 0 both gradients are zero (TF's
 * ReLU gradient is 0 at 0). So the ReLU and its Where run on the pooled tensor, a
 * quarter of the size, and the convolution stays a plain Conv.
 */
export function lowerMaxPooling2d(ctx: LoweringContext, layer: MaxPooling2D, options: { reluFirst?: boolean } = {}): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const [kh, kw] = layer.poolSize;
  const [sh, sw] = layer.strides;
  // Tiled windows on a blocked input: see lowerBlockedMaxPool.
  const tiled = kh === sh && kw === sw && layer.padding === 'valid';
  let blocked: LayerLowering | null = null;
  let x!: Sym;
  let y!: Sym;
  let indices!: string;
  let pads!: number[];
  return {
    acceptsBlocked: () => ctx.block !== null && tiled,
    forward(input) {
      if (input.layout === 'NCHWc') {
        blocked = lowerBlockedMaxPool(ctx, name, [kh, kw], options.reluFirst === true);
        return blocked.forward(input);
      }
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: MaxPooling2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, c, h, w] = x.shape;
      const ph = tfPads(h, kh, sh, 1, layer.padding);
      const pw = tfPads(w, kw, sw, 1, layer.padding);
      pads = [ph.before, pw.before, ph.after, pw.after];
      const [out, idx] = b.opN('MaxPool', [x.name], [`${name}/maxpool`, `${name}/indices`], [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
      ]);
      indices = idx;
      y = { name: options.reluFirst === true ? b.op('Relu', [out], `${name}/relu`) : out, shape: [n, c, ph.out, pw.out], layout: 'NCHW' };
      return y;
    },
    backward(dyOut, needInputGrad, wrt) {
      if (blocked !== null) return blocked.backward(dyOut, needInputGrad, wrt);
      if (!needInputGrad) return null;
      const dy = options.reluFirst === true ? b.op('Where', [b.op('Greater', [y.name, b.scalar(0)], `${name}/relu_mask`), dyOut, b.scalar(0)], `${name}/drelu`) : dyOut;
      if (sh >= kh && sw >= kw) {
        return b.op('MaxUnpool', [dy, indices, b.int64('output_shape', x.shape)], `${name}/dx`, [
          attr.ints('kernel_shape', [kh, kw]),
          attr.ints('strides', [sh, sw]),
          attr.ints('pads', pads),
        ]);
      }
      const flatIdx = b.op('Reshape', [indices, b.int64('shape', [-1])], `${name}/idx_flat`);
      const flatDy = b.op('Reshape', [dy, b.int64('shape', [-1])], `${name}/dy_flat`);
      const zeros = b.constant(`${name}/zeros`, [count(x.shape)], new Float32Array(count(x.shape)));
      const scattered = b.op('ScatterElements', [zeros, flatIdx, flatDy], `${name}/scatter`, [attr.int('axis', 0), attr.string('reduction', 'add')]);
      return b.op('Reshape', [scattered, b.int64('shape', x.shape)], `${name}/dx`);
    },
  };
}

/**
 * Max pooling of a blocked tensor with tiled windows (pool = strides, `valid`), from
 * standard ops on its storage `[N, C/B, H, W, B]` seen as `[M, oh, kh, ow, kw*B]`:
 * each window offset `(a, c)` is one Slice (runs of B contiguous floats), the output
 * is their Max; backward gives each window's gradient to the first offset, in
 * row-major order, that holds the maximum (TensorFlow's tie rule: Equal, and a
 * running "not taken yet" mask) and interleaves the pieces back with Concat.
 * Why: onnxruntime's MaxPool with Indices and MaxUnpool were 22% of a training step;
 * these ops run on contiguous blocks and keep the tensor blocked for the convolutions.
 */
function lowerBlockedMaxPool(ctx: LoweringContext, name: string, [kh, kw]: [number, number], reluFirst: boolean): LayerLowering {
  const { b } = ctx;
  const block = ctx.block!;
  let x!: Sym;
  let y!: Sym;
  let pooled!: string;
  let pieces!: string[];
  let geometry!: { m: number; oh: number; ow: number; coveredH: number; coveredW: number };
  return {
    forward(input) {
      x = input;
      const [n, c, h, w] = x.shape;
      const oh = Math.floor(h / kh);
      const ow = Math.floor(w / kw);
      const m = (n * c) / block;
      geometry = { m, oh, ow, coveredH: oh * kh, coveredW: ow * kw };
      let storage = b.op('Reshape', [x.name, b.int64('shape', [m, h, w * block])], `${name}/storage`);
      if (oh * kh !== h || ow * kw !== w) {
        // Rows and columns no window covers (valid padding) are dropped.
        storage = b.op('Slice', [storage, b.int64('starts', [0, 0]), b.int64('ends', [oh * kh, ow * kw * block]), b.int64('axes', [1, 2])], `${name}/covered`);
      }
      const windows = b.op('Reshape', [storage, b.int64('shape', [m, oh, kh, ow, kw * block])], `${name}/windows`);
      // Split (measured ~2x faster than Slice here): rows of the window, then B-wide columns.
      const rows = kh === 1 ? [windows] : b.opN('Split', [windows], Array.from({ length: kh }, (_, a) => `${name}/row_${a}`), [attr.int('axis', 2)]);
      pieces = rows.flatMap((row, a) => (kw === 1 ? [row] : b.opN('Split', [row], Array.from({ length: kw }, (_, c2) => `${name}/offset_${a}_${c2}`), [attr.int('axis', 4)])));
      pooled = pieces.length === 1 ? pieces[0] : b.op('Max', pieces, `${name}/max`);
      const out = reluFirst ? b.op('Relu', [pooled], `${name}/relu`) : pooled;
      y = { name: b.op('Reshape', [out, b.int64('shape', [n, c, oh, ow])], `${name}/maxpool`), shape: [n, c, oh, ow], layout: 'NCHWc' };
      return y;
    },
    backward(dyOut, needInputGrad) {
      if (!needInputGrad) return null;
      const { m, oh, ow, coveredH, coveredW } = geometry;
      const [n, c, h, w] = x.shape;
      const dy5 = b.op('Reshape', [dyOut, b.int64('shape', [m, oh, 1, ow, block])], `${name}/dy5`);
      const dy = reluFirst ? b.op('Where', [b.op('Greater', [pooled, b.scalar(0)], `${name}/relu_mask`), dy5, b.scalar(0)], `${name}/drelu`) : dy5;
      let free: string | null = null;
      const grads: string[] = [];
      for (const [i, piece] of pieces.entries()) {
        // Mul by the mask as floats: measured faster than Where with a scalar zero.
        const take = (mask: string) => b.op('Mul', [b.op('Cast', [mask], `${name}/mask_${i}`, [attr.int('to', 1)]), dy], `${name}/d_${i}`);
        if (i === pieces.length - 1 && free !== null) {
          // The last offset takes every window no earlier offset took.
          grads.push(take(free));
          break;
        }
        const hit = b.op('Equal', [piece, pooled], `${name}/is_max_${i}`);
        const first = free === null ? hit : b.op('And', [hit, free], `${name}/first_${i}`);
        grads.push(take(first));
        if (i < pieces.length - 1) {
          const notHit = b.op('Not', [hit], `${name}/not_max_${i}`);
          free = free === null ? notHit : b.op('And', [free, notHit], `${name}/free_${i}`);
        }
      }
      const rows: string[] = [];
      for (let a = 0; a < kh; a++) {
        const row = grads.slice(a * kw, (a + 1) * kw);
        rows.push(row.length === 1 ? row[0] : b.op('Concat', row, `${name}/dx_row_${a}`, [attr.int('axis', 4)]));
      }
      const windows = rows.length === 1 ? rows[0] : b.op('Concat', rows, `${name}/dx_windows`, [attr.int('axis', 2)]);
      let dx = b.op('Reshape', [windows, b.int64('shape', [m, coveredH, coveredW * block])], `${name}/dx_storage`);
      if (coveredH !== h || coveredW !== w) {
        dx = b.op('Pad', [dx, b.int64('pads', [0, 0, 0, 0, h - coveredH, (w - coveredW) * block])], `${name}/dx_padded`);
      }
      return b.op('Reshape', [dx, b.int64('shape', [n, c, h, w])], `${name}/dx`);
    },
  };
}
