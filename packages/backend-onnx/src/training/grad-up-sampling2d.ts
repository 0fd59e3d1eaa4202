import type { UpSampling2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/**
 * The `[out, in]` interpolation weights of one axis of TensorFlow's bilinear resize
 * with half-pixel centres and no corner alignment (what UpSampling2D's `bilinear`
 * calls): output o samples `s = (o + 0.5) · in/out − 0.5`, from rows `max(⌊s⌋, 0)` and
 * `min(⌈s⌉, in − 1)` with weights `1 − frac(s)` and `frac(s)` — so the edges clamp.
 */
export function bilinearWeights(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const s = (o + 0.5) * scale - 0.5;
    const floor = Math.floor(s);
    const frac = s - floor;
    m[o * inSize + Math.max(floor, 0)] += 1 - frac;
    m[o * inSize + Math.min(Math.ceil(s), inSize - 1)] += frac;
  }
  return m;
}

/** A `[rows, cols]` matrix transposed. */
function transposed(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/**
 * UpSampling2D by integer factors `(fh, fw)`.
 * - `nearest` (TF without corner alignment or half-pixel centres: output i reads input
 *   ⌊i / f⌋, a repeat): forward Reshape + Expand + Reshape; backward sums each f×f
 *   block of the gradient (Reshape + ReduceSum).
 * - `bilinear`: the resize is `Y = A_h · X · A_wᵀ` per image and channel with constant
 *   weight matrices (bilinearWeights), so forward and backward (`A_hᵀ · dY · A_w`) are
 *   two MatMuls each and agree with each other exactly.
 */
export function lowerUpSampling2d(ctx: LoweringContext, layer: UpSampling2D): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const [fh, fw] = layer.size;
  let x!: Sym;
  return {
    forward(input) {
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: UpSampling2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, c, h, w] = x.shape;
      const shape = [n, c, h * fh, w * fw];
      switch (layer.interpolation) {
        case 'nearest': {
          const x6 = b.op('Reshape', [x.name, b.int64('shape', [n, c, h, 1, w, 1])], `${name}/x6`);
          const spread = b.op('Expand', [x6, b.int64('shape', [n, c, h, fh, w, fw])], `${name}/repeat`);
          return { name: b.op('Reshape', [spread, b.int64('shape', shape)], `${name}/up`), shape, layout: 'NCHW' };
        }
        case 'bilinear': {
          const awT = b.constant(`${name}/aw_t`, [w, w * fw], transposed(bilinearWeights(w, w * fw), w * fw, w));
          const ah = b.constant(`${name}/ah`, [h * fh, h], bilinearWeights(h, h * fh));
          const alongW = b.op('MatMul', [x.name, awT], `${name}/along_w`);
          return { name: b.op('MatMul', [ah, alongW], `${name}/up`), shape, layout: 'NCHW' };
        }
        default: {
          const never: never = layer.interpolation;
          throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: UpSampling2D "${name}" has interpolation "${String(never)}"; supported: nearest, bilinear`);
        }
      }
    },
    backward(dy, needInputGrad) {
      if (!needInputGrad) return null;
      const [n, c, h, w] = x.shape;
      if (layer.interpolation === 'nearest') {
        const dy6 = b.op('Reshape', [dy, b.int64('shape', [n, c, h, fh, w, fw])], `${name}/dy6`);
        return b.op('ReduceSum', [dy6, b.int64('axes', [3, 5])], `${name}/dx`, [attr.int('keepdims', 0)]);
      }
      const aw = b.constant(`${name}/aw`, [w * fw, w], bilinearWeights(w, w * fw));
      const ahT = b.constant(`${name}/ah_t`, [h, h * fh], transposed(bilinearWeights(h, h * fh), h * fh, h));
      const alongW = b.op('MatMul', [dy, aw], `${name}/d_along_w`);
      return b.op('MatMul', [ahT, alongW], `${name}/dx`);
    },
  };
}
