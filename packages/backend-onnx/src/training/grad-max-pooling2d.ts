import type { MaxPooling2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import { NCHWC_DOMAIN } from './nchwc.js';
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
 * Max pooling of a blocked tensor with tiled windows (pool = strides, `valid`).
 * Forward: onnxruntime's blocked `MaxPool` (com.microsoft.nchwc; rows and columns no
 * window covers are left out, as `valid` does). Backward, on the storage
 * `[N, C/B, H, W, B]` seen as `[M, oh, kh, ow, kw, B]`: one broadcast `Equal` of the
 * input with the pooled output marks every maximum; that boolean tensor is Split into
 * its window offsets, each window keeps only the first offset, in row-major order,
 * that holds the maximum (TensorFlow's tie rule: a running "not taken yet" mask), the
 * pieces are put back with Concat and one broadcast `Mul` spreads the gradient.
 * Why: the earlier form split and re-concatenated the float input and gradient
 * themselves (Split + Concat of 16-float runs, single-threaded, were 19% of the
 * tutorial's step, the pooling path 32%); booleans are a quarter of the bytes and
 * the blocked MaxPool reads the input once.
 */
function lowerBlockedMaxPool(ctx: LoweringContext, name: string, [kh, kw]: [number, number], reluFirst: boolean): LayerLowering {
  const { b } = ctx;
  const block = ctx.block!;
  let x!: Sym;
  let pooled!: string;
  let geometry!: { m: number; oh: number; ow: number; coveredH: number; coveredW: number };
  return {
    forward(input) {
      x = input;
      const [n, c, h, w] = x.shape;
      const oh = Math.floor(h / kh);
      const ow = Math.floor(w / kw);
      geometry = { m: (n * c) / block, oh, ow, coveredH: oh * kh, coveredW: ow * kw };
      pooled = b.op('MaxPool', [x.name], `${name}/maxpool`, [attr.ints('kernel_shape', [kh, kw]), attr.ints('strides', [kh, kw])], NCHWC_DOMAIN);
      const out = reluFirst ? b.op('Relu', [pooled], `${name}/relu`) : pooled;
      return { name: out, shape: [n, c, oh, ow], layout: 'NCHWc' };
    },
    backward(dyOut, needInputGrad) {
      if (!needInputGrad) return null;
      const { m, oh, ow, coveredH, coveredW } = geometry;
      const [n, c, h, w] = x.shape;
      const window6 = [m, oh, kh, ow, kw, block];
      const pooled6 = b.op('Reshape', [pooled, b.int64('shape', [m, oh, 1, ow, 1, block])], `${name}/pooled6`);
      const dy6 = b.op('Reshape', [dyOut, b.int64('shape', [m, oh, 1, ow, 1, block])], `${name}/dy6`);
      // The deferred ReLU's gradient; Mul by the mask as floats: a Where here took 3x as long.
      const dy = reluFirst ? b.op('Mul', [b.op('Cast', [b.op('Greater', [pooled6, b.scalar(0)], `${name}/relu_mask`)], `${name}/relu_mask_f`, [attr.int('to', 1)]), dy6], `${name}/drelu`) : dy6;
      let storage = b.op('Reshape', [x.name, b.int64('shape', [m, h, w * block])], `${name}/storage`);
      if (coveredH !== h || coveredW !== w) {
        // Rows and columns no window covers (valid padding) get no gradient.
        storage = b.op('Slice', [storage, b.int64('starts', [0, 0]), b.int64('ends', [coveredH, coveredW * block]), b.int64('axes', [1, 2])], `${name}/covered`);
      }
      const windows = b.op('Reshape', [storage, b.int64('shape', window6)], `${name}/windows`);
      const isMax = b.op('Equal', [windows, pooled6], `${name}/is_max`);
      let mask = isMax;
      if (kh * kw > 1) {
        const rows = kh === 1 ? [isMax] : b.opN('Split', [isMax], Array.from({ length: kh }, (_, a) => `${name}/is_max_row_${a}`), [attr.int('axis', 2)]);
        const pieces = rows.flatMap((row, a) => (kw === 1 ? [row] : b.opN('Split', [row], Array.from({ length: kw }, (_, c2) => `${name}/is_max_${a}_${c2}`), [attr.int('axis', 4)])));
        const firsts: string[] = [];
        let free: string | null = null;
        for (const [i, hit] of pieces.entries()) {
          if (i === pieces.length - 1) {
            // The last offset takes every window no earlier offset took.
            firsts.push(free!);
            break;
          }
          firsts.push(free === null ? hit : b.op('And', [hit, free], `${name}/first_${i}`));
          const notHit = b.op('Not', [hit], `${name}/not_max_${i}`);
          free = free === null ? notHit : b.op('And', [free, notHit], `${name}/free_${i}`);
        }
        const maskRows: string[] = [];
        for (let a = 0; a < kh; a++) {
          const row = firsts.slice(a * kw, (a + 1) * kw);
          maskRows.push(row.length === 1 ? row[0] : b.op('Concat', row, `${name}/first_row_${a}`, [attr.int('axis', 4)]));
        }
        mask = maskRows.length === 1 ? maskRows[0] : b.op('Concat', maskRows, `${name}/first_max`, [attr.int('axis', 2)]);
      }
      // Mul by the mask as floats: measured faster than a broadcast Where.
      const dx6 = b.op('Mul', [b.op('Cast', [mask], `${name}/first_max_f`, [attr.int('to', 1)]), dy], `${name}/dx6`);
      let dx = b.op('Reshape', [dx6, b.int64('shape', [m, coveredH, coveredW * block])], `${name}/dx_storage`);
      if (coveredH !== h || coveredW !== w) {
        dx = b.op('Pad', [dx, b.int64('pads', [0, 0, 0, 0, h - coveredH, (w - coveredW) * block])], `${name}/dx_padded`);
      }
      return b.op('Reshape', [dx, b.int64('shape', [n, c, h, w])], `${name}/dx`);
    },
  };
}
