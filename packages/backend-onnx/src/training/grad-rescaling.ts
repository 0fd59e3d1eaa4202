import type { Rescaling } from '@cnnkit/layers';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/** Rescaling: `x scale + offset`; backward `dy scale`. */
export function lowerRescaling(ctx: LoweringContext, layer: Rescaling): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  return {
    forward(x: Sym) {
      let y = b.op('Mul', [x.name, b.scalar(layer.scale)], `${name}/scale`);
      if (layer.offset !== 0) y = b.op('Add', [y, b.scalar(layer.offset)], `${name}/offset`);
      return { ...x, name: y };
    },
    backward(dy, needInputGrad) {
      return needInputGrad ? b.op('Mul', [dy, b.scalar(layer.scale)], `${name}/dx`) : null;
    },
  };
}
