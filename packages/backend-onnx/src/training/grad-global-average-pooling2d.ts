import type { GlobalAveragePooling2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';
import { storageView } from './nchwc.js';

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
    // A blocked input is averaged in its storage `[N, C/B, H, W, B]`: the result `[N, C/B, B]` is already in channel order.
    acceptsBlocked: () => true,
    forward(input) {
      if (input.layout === 'NCHWc') {
        x = input;
        const [n, c] = x.shape;
        const mean = b.op('ReduceMean', [storageView(b, x, ctx.block!, `${name}/storage`)], `${name}/gap5`, [attr.ints('axes', [2, 3]), attr.int('keepdims', 0)]);
        return { name: b.op('Reshape', [mean, b.int64('shape', [n, c])], `${name}/gap`), shape: [n, c], layout: 'flat' };
      }
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: GlobalAveragePooling2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, c] = x.shape;
      return { name: b.op('ReduceMean', [x.name], `${name}/gap`, [attr.ints('axes', [2, 3]), attr.int('keepdims', 0)]), shape: [n, c], layout: 'flat' };
    },
    backward(dy, needInputGrad) {
      if (!needInputGrad) return null;
      const [n, c, h, w] = x.shape;
      const scaled = b.op('Mul', [dy, b.scalar(1 / (h * w))], `${name}/dy_scaled`);
      if (x.layout === 'NCHWc') {
        const block = ctx.block!;
        const col5 = b.op('Reshape', [scaled, b.int64('shape', [n, c / block, 1, 1, block])], `${name}/dy5`);
        const spread = b.op('Expand', [col5, b.int64('shape', [n, c / block, h, w, block])], `${name}/dx5`);
        return b.op('Reshape', [spread, b.int64('shape', [n, c, h, w])], `${name}/dx`);
      }
      const col = b.op('Reshape', [scaled, b.int64('shape', [n, c, 1, 1])], `${name}/dy4`);
      return b.op('Expand', [col, b.int64('shape', [n, c, h, w])], `${name}/dx`);
    },
  };
}
