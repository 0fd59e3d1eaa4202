import type { Flatten } from '@cnnkit/layers';
import { attr } from './graph-builder.js';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/**
 * Flatten in Keras (NHWC) order: an NCHW image is transposed to NHWC first, so
 * the features line up with the Dense kernel trained on any other engine; the
 * backward reshapes and transposes back.
 */
export function lowerFlatten(ctx: LoweringContext, layer: Flatten): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  let x!: Sym;
  return {
    forward(input) {
      x = input;
      const n = x.shape[0];
      const features = x.shape.slice(1).reduce((a, c) => a * c, 1);
      const nhwc = x.layout === 'NCHW' ? b.op('Transpose', [x.name], `${name}/nhwc`, [attr.ints('perm', [0, 2, 3, 1])]) : x.name;
      return { name: b.op('Reshape', [nhwc, b.int64('shape', [n, features])], `${name}/flat`), shape: [n, features], layout: 'flat' };
    },
    backward(dy, needInputGrad) {
      if (!needInputGrad) return null;
      if (x.layout !== 'NCHW') return b.op('Reshape', [dy, b.int64('shape', x.shape)], `${name}/dx`);
      const [n, c, h, w] = x.shape;
      const nhwc = b.op('Reshape', [dy, b.int64('shape', [n, h, w, c])], `${name}/dy_nhwc`);
      return b.op('Transpose', [nhwc], `${name}/dx`, [attr.ints('perm', [0, 3, 1, 2])]);
    },
  };
}
