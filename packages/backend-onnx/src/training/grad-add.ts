import type { Add } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import type { LoweringContext, MergeLowering, Sym } from './lowering.js';

/**
 * Add: the sum of its inputs (a chain of `Add`s, in the layers Add's order, so the
 * float sum rounds the same); each input's gradient is the output's. Inputs that are
 * all blocked stay blocked (the same storage order, so adding their storage is adding
 * the tensors); a mix gets NCHW copies.
 */
export function lowerAdd(ctx: LoweringContext, layer: Add): MergeLowering {
  const { b } = ctx;
  const name = layer.name!;
  return {
    merge: true,
    acceptsBlocked: (xs) => xs.every((x) => x.layout === 'NCHWc'),
    forward(xs: readonly Sym[]) {
      const [first, ...rest] = xs;
      for (const x of rest) {
        if (x.layout !== first.layout || x.shape.join() !== first.shape.join()) {
          throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: Add "${name}" expected inputs of one shape and layout, received ${xs.map((s) => `[${s.shape}] ${s.layout}`).join(' and ')}`);
        }
      }
      const sum = rest.reduce((acc, x, i) => b.op('Add', [acc, x.name], `${name}/add_${i}`), first.name);
      return { ...first, name: sum };
    },
    backward(dy, needInputGrad) {
      return needInputGrad.map((need) => (need ? dy : null));
    },
  };
}
