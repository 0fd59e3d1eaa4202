import type { BatchNormalization } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import type { LayerLowering, LoweringContext, Sym } from './lowering.js';

/**
 * BatchNormalization in training mode (Keras): normalises with the batch mean and
 * biased variance, outputs the moving statistics `moving * momentum + batch * (1 - momentum)`
 * as updated values, and back-propagates through the batch statistics:
 * `dx = invstd (dx̂ - mean(dx̂) - x̂ mean(dx̂ x̂))` with `dx̂ = dy γ`. A frozen layer
 * (`trainable` false) normalises with the moving statistics and updates nothing.
 */
export function lowerBatchNormalization(ctx: LoweringContext, layer: BatchNormalization): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const gamma = layer.scale ? ctx.param(layer, 'gamma', 'same') : null;
  const beta = layer.center ? ctx.param(layer, 'beta', 'same') : null;
  const movingMean = ctx.param(layer, 'moving_mean', 'same');
  const movingVariance = ctx.param(layer, 'moving_variance', 'same');
  let axes!: number[];
  let bshape!: number[];
  let xhat!: string;
  let invstd!: string;
  let gammaB: string | null = null;
  return {
    forward(x: Sym) {
      const rank = x.shape.length;
      const last = layer.axis < 0 ? rank + layer.axis : layer.axis;
      if (last !== rank - 1 || (rank !== 4 && rank !== 2) || (rank === 4 && x.layout !== 'NCHW')) {
        throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: BatchNormalization "${name}" over axis ${layer.axis} of shape [${x.shape}]; the ORT training engine supports the channel axis (-1) of 2-D or 4-D inputs`);
      }
      const c = x.layout === 'NCHW' ? x.shape[1] : x.shape[1];
      axes = rank === 4 ? [0, 2, 3] : [0];
      bshape = rank === 4 ? [1, c, 1, 1] : [1, c];
      const bs = b.int64('shape', bshape);
      // A frozen layer (trainable false) normalises with its moving statistics, as Keras.
      const frozen = !layer.trainable;
      const mean = frozen
        ? b.op('Reshape', [movingMean, bs], `${name}/mean`)
        : b.op('ReduceMean', [x.name], `${name}/mean`, [attr.ints('axes', axes), attr.int('keepdims', 1)]);
      const xc = b.op('Sub', [x.name, mean], `${name}/xc`);
      const variance = frozen
        ? b.op('Reshape', [movingVariance, bs], `${name}/var`)
        : b.op('ReduceMean', [b.op('Mul', [xc, xc], `${name}/xc2`)], `${name}/var`, [attr.ints('axes', axes), attr.int('keepdims', 1)]);
      invstd = b.op('Reciprocal', [b.op('Sqrt', [b.op('Add', [variance, b.scalar(layer.epsilon)], `${name}/var_eps`)], `${name}/std`)], `${name}/invstd`);
      xhat = b.op('Mul', [xc, invstd], `${name}/xhat`);
      let y = xhat;
      if (gamma !== null) {
        gammaB = b.op('Reshape', [gamma, bs], `${name}/gamma_b`);
        y = b.op('Mul', [y, gammaB], `${name}/scaled`);
      }
      if (beta !== null) y = b.op('Add', [y, b.op('Reshape', [beta, bs], `${name}/beta_b`)], `${name}/bn`);
      if (frozen) return { ...x, name: y };
      const m = layer.momentum;
      const flat = b.int64('shape', [c]);
      const update = (moving: string, batch: string, what: string) =>
        b.op('Add', [b.op('Mul', [moving, b.scalar(m)], `${name}/${what}_old`), b.op('Mul', [b.op('Reshape', [batch, flat], `${name}/${what}_batch`), b.scalar(1 - m)], `${name}/${what}_new_part`)], `${name}/${what}_next`);
      ctx.update(`${name}/moving_mean`, update(movingMean, mean, 'moving_mean'));
      ctx.update(`${name}/moving_variance`, update(movingVariance, variance, 'moving_variance'));
      return { ...x, name: y };
    },
    backward(dy, needInputGrad) {
      if (!layer.trainable) {
        // Constant statistics: the input gradient is dy γ / sqrt(σ² + ε).
        if (!needInputGrad) return null;
        return b.op('Mul', [gammaB === null ? dy : b.op('Mul', [dy, gammaB], `${name}/dxhat`), invstd], `${name}/dx`);
      }
      if (beta !== null) ctx.grad(`${name}/beta`, b.op('ReduceSum', [dy, b.int64('axes', axes)], `${name}/dbeta`, [attr.int('keepdims', 0)]));
      if (gamma !== null) {
        ctx.grad(`${name}/gamma`, b.op('ReduceSum', [b.op('Mul', [dy, xhat], `${name}/dy_xhat`), b.int64('axes', axes)], `${name}/dgamma`, [attr.int('keepdims', 0)]));
      }
      if (!needInputGrad) return null;
      const dxhat = gammaB === null ? dy : b.op('Mul', [dy, gammaB], `${name}/dxhat`);
      const meanD = b.op('ReduceMean', [dxhat], `${name}/mean_dxhat`, [attr.ints('axes', axes), attr.int('keepdims', 1)]);
      const meanDX = b.op('ReduceMean', [b.op('Mul', [dxhat, xhat], `${name}/dxhat_xhat`)], `${name}/mean_dxhat_xhat`, [attr.ints('axes', axes), attr.int('keepdims', 1)]);
      const inner = b.op('Sub', [b.op('Sub', [dxhat, meanD], `${name}/d_centred`), b.op('Mul', [xhat, meanDX], `${name}/xhat_proj`)], `${name}/d_inner`);
      return b.op('Mul', [inner, invstd], `${name}/dx`);
    },
  };
}
