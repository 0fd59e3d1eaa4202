import type { Dropout } from '@cnnkit/layers';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/**
 * Dropout in training mode: the input times a mask fed every step (0 or
 * 1/(1 - rate)). The trainer draws the mask from the model's random stream of the
 * layer exactly as the layers Dropout does, so a step is reproducible, differs per
 * step, and equals the wasm engine's step from the same stream state.
 */
export function lowerDropout(ctx: LoweringContext, layer: Dropout): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  let mask: string | null = null;
  return {
    forward(x: Sym) {
      if (layer.rate === 0) return x;
      const kerasShape = x.layout === 'NCHW' ? [x.shape[0], x.shape[2], x.shape[3], x.shape[1]] : [...x.shape];
      mask = ctx.feed({ base: `mask/${name}`, shape: x.shape, kind: 'dropout-mask', layerName: name, rate: layer.rate, kerasShape, layout: x.layout });
      return { ...x, name: b.op('Mul', [x.name, mask], `${name}/dropout`) };
    },
    backward(dy, needInputGrad) {
      if (!needInputGrad) return null;
      return mask === null ? dy : b.op('Mul', [dy, mask], `${name}/dx`);
    },
  };
}
