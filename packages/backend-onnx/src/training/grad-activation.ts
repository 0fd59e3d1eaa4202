import type { Activation } from '@cnnkit/layers';
import { checkActivation, emitActivation, emitActivationGrad, mixesChannels } from './activation-grad.js';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/**
 * The Activation layer: the named activation and its gradient (activation-grad.ts).
 * Element-wise ones run on a blocked tensor as it is; softmax is over the channels
 * (axis 1 of an NCHW image, the last axis otherwise), so it takes an NCHW copy. As
 * the model's last layer it gives the loss its pre-activation (sigmoid or softmax
 * with cross-entropy fuse, as after Dense).
 */
export function lowerActivation(ctx: LoweringContext, layer: Activation): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const activation = checkActivation(`Activation "${name}"`, layer.activation);
  let x!: Sym;
  let y!: Sym;
  let axis = -1;
  return {
    acceptsBlocked: () => !mixesChannels(activation),
    forward(input) {
      x = input;
      axis = x.layout === 'flat' ? -1 : 1;
      y = { ...x, name: emitActivation(b, activation, x.name, name, axis) };
      return y;
    },
    head: () => ({ activation, preActivation: x, output: y }),
    backward(dy, needInputGrad, wrt) {
      if (!needInputGrad) return null;
      return wrt === 'preactivation' ? dy : emitActivationGrad(b, activation, { y: y.name, z: x.name }, dy, name, axis);
    },
  };
}
