import type { GlobalAveragePooling2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/**
 * GlobalAveragePooling2D (keepdims false): forward `ReduceMean` over H, W;
 * backward spreads `dy / (H W)` over every pixel with Expand.
 */
export function lowerGlobalAveragePooling2d(ctx: LoweringContext, layer: GlobalAveragePooling2D): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  if (layer.keepdims) throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: GlobalAveragePooling2D "${name}" has keepdims true; the ORT training engine supports keepdims false`);
  let x!: Sym;
  return {
    forward(input) {
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: GlobalAveragePooling2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, c] = x.shape;
      return { name: b.op('ReduceMean', [x.name], `${name}/gap`, [attr.ints('axes', [2, 3]), attr.int('keepdims', 0)]), shape: [n, c], layout: 'flat' };
    },
    backward(dy, needInputGrad) {
      if (!needInputGrad) return null;
      const [n, c, h, w] = x.shape;
      const scaled = b.op('Mul', [dy, b.scalar(1 / (h * w))], `${name}/dy_scaled`);
      const col = b.op('Reshape', [scaled, b.int64('shape', [n, c, 1, 1])], `${name}/dy4`);
      return b.op('Expand', [col, b.int64('shape', [n, c, h, w])], `${name}/dx`);
    },
  };
}
