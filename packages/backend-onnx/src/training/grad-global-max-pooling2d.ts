import type { GlobalMaxPooling2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/**
 * GlobalMaxPooling2D: forward `ReduceMax` over H, W; backward as the wasm engine's
 * max gradient (tensor-core's, TensorFlow's): tied maxima share the gradient equally,
 * `dx = dy · [x = max] / #ties` — unlike MaxPooling2D, where the first maximum takes
 * all of it. `keepdims` keeps `[N, C, 1, 1]` (Keras `[N, 1, 1, C]`).
 */
export function lowerGlobalMaxPooling2d(ctx: LoweringContext, layer: GlobalMaxPooling2D): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  let x!: Sym;
  let pooled!: string;
  return {
    forward(input) {
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: GlobalMaxPooling2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, c] = x.shape;
      pooled = b.op('ReduceMax', [x.name], `${name}/gmp4`, [attr.ints('axes', [2, 3]), attr.int('keepdims', 1)]);
      if (layer.keepdims) return { name: pooled, shape: [n, c, 1, 1], layout: 'NCHW' };
      return { name: b.op('Reshape', [pooled, b.int64('shape', [n, c])], `${name}/gmp`), shape: [n, c], layout: 'flat' };
    },
    backward(dy, needInputGrad) {
      if (!needInputGrad) return null;
      const [n, c] = x.shape;
      const mask = b.op('Cast', [b.op('Equal', [x.name, pooled], `${name}/is_max`)], `${name}/mask`, [attr.int('to', 1)]);
      const ties = b.op('ReduceSum', [mask, b.int64('axes', [2, 3])], `${name}/ties`, [attr.int('keepdims', 1)]);
      // In tensor-core's order (mask / ties, then times dy): the same float rounding.
      const share = b.op('Div', [mask, ties], `${name}/share`);
      const dy4 = layer.keepdims ? dy : b.op('Reshape', [dy, b.int64('shape', [n, c, 1, 1])], `${name}/dy4`);
      return b.op('Mul', [dy4, share], `${name}/dx`);
    },
  };
}
