import type { Dense } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { checkActivation, emitActivation, emitActivationGrad } from './activation-grad.js';
import { attr } from './graph-builder.js';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/**
 * Dense on `[N, in]`: forward Gemm (+ bias) and activation; backward
 * `dW = xᵀ dz` and `dx = dz Wᵀ` as Gemm with transposed operands, `db = Σ_N dz`.
 */
export function lowerDense(ctx: LoweringContext, layer: Dense): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const activation = checkActivation(`Dense "${name}"`, layer.activation);
  const kernel = ctx.param(layer, 'kernel', 'same');
  const bias = layer.useBias ? ctx.param(layer, 'bias', 'same') : null;
  let x!: Sym;
  let z!: Sym;
  let y!: Sym;
  return {
    forward(input) {
      if (input.layout !== 'flat' || input.shape.length !== 2) {
        throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: Dense "${name}" expected a [batch, features] input (add Flatten or global pooling before it), received shape [${input.shape}]`);
      }
      x = input;
      const shape = [x.shape[0], layer.units];
      const zName = b.op('Gemm', bias === null ? [x.name, kernel] : [x.name, kernel, bias], `${name}/gemm`);
      z = { name: zName, shape, layout: 'flat' };
      y = { name: emitActivation(b, activation, zName, name), shape, layout: 'flat' };
      return y;
    },
    head: () => ({ activation, preActivation: z, output: y }),
    backward(dy, needInputGrad, wrt) {
      const dz = wrt === 'preactivation' ? dy : emitActivationGrad(b, activation, { y: y.name, z: z.name }, dy, name);
      ctx.grad(`${name}/kernel`, b.op('Gemm', [x.name, dz], `${name}/dkernel`, [attr.int('transA', 1)]));
      if (bias !== null) ctx.grad(`${name}/bias`, b.op('ReduceSum', [dz, b.int64('axes', [0])], `${name}/dbias`, [attr.int('keepdims', 0)]));
      if (!needInputGrad) return null;
      return b.op('Gemm', [dz, kernel], `${name}/dx`, [attr.int('transB', 1)]);
    },
  };
}
