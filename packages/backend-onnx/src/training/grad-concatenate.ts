import type { Concatenate } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import type { LoweringContext, MergeLowering, Sym } from './lowering.js';

/** Keras's axis of an NHWC image (1 = H, 2 = W, 3 = C) as the axis of the graph's NCHW tensor. */
const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1] as const;

/**
 * Concatenate along any axis the layer allows (Keras's, batch excluded): `Concat`
 * forward, `Split` of the gradient backward. Keras axes of images are NHWC; the graph's
 * tensors are NCHW, so channels are axis 1 there. Blocked inputs whose channel counts
 * are multiples of the block concatenate along the channels in their storage
 * (`[N, C/B, H, W, B]` on axis 1): the output stays blocked.
 */
export function lowerConcatenate(ctx: LoweringContext, layer: Concatenate): MergeLowering {
  const { b } = ctx;
  const name = layer.name!;
  let xs!: readonly Sym[];
  let axis = 0;
  let blocked = false;
  /** Keras's axis, resolved against the inputs' rank. */
  const kerasAxis = (x: Sym) => (layer.axis < 0 ? x.shape.length + layer.axis : layer.axis);
  return {
    merge: true,
    acceptsBlocked: (given) => ctx.block !== null && given.every((x) => x.layout === 'NCHWc' && x.shape[1] % ctx.block! === 0) && kerasAxis(given[0]) === 3,
    forward(inputs) {
      xs = inputs;
      const first = xs[0];
      const k = kerasAxis(first);
      if (k < 1 || k >= first.shape.length) {
        throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: Concatenate "${name}" has axis ${layer.axis}; expected 1..${first.shape.length - 1} (or negative) for inputs of rank ${first.shape.length}`);
      }
      if (xs.some((x) => x.layout !== first.layout)) {
        throw new CnnkitError('INTERNAL', `compileTrainingGraph: Concatenate "${name}" received inputs in layouts ${xs.map((x) => x.layout).join(', ')}`);
      }
      axis = first.layout === 'flat' ? k : NHWC_TO_NCHW_AXIS[k];
      blocked = first.layout === 'NCHWc';
      const shape = [...first.shape];
      shape[axis] = xs.reduce((total, x) => total + x.shape[axis], 0);
      if (blocked) {
        const block = ctx.block!;
        const [n, , h, w] = first.shape;
        const views = xs.map((x, i) => b.op('Reshape', [x.name, b.int64('shape', [n, x.shape[1] / block, h, w, block])], `${name}/storage_${i}`));
        const joined = b.op('Concat', views, `${name}/concat5`, [attr.int('axis', 1)]);
        return { name: b.op('Reshape', [joined, b.int64('shape', shape)], `${name}/concat`), shape, layout: 'NCHWc' };
      }
      return { name: b.op('Concat', xs.map((x) => x.name), `${name}/concat`, [attr.int('axis', axis)]), shape, layout: first.layout };
    },
    backward(dy, needInputGrad) {
      const bases = xs.map((_, i) => `${name}/dx_${i}`);
      let parts: string[];
      if (blocked) {
        const block = ctx.block!;
        const [n, c, h, w] = [xs[0].shape[0], xs.reduce((t, x) => t + x.shape[1], 0), xs[0].shape[2], xs[0].shape[3]];
        const dy5 = b.op('Reshape', [dy, b.int64('shape', [n, c / block, h, w, block])], `${name}/dy5`);
        const pieces = b.opN('Split', [dy5, b.int64('split', xs.map((x) => x.shape[1] / block))], bases.map((s) => `${s}_5`), [attr.int('axis', 1)]);
        parts = pieces.map((p, i) => b.op('Reshape', [p, b.int64('shape', xs[i].shape)], bases[i]));
      } else {
        parts = b.opN('Split', [dy, b.int64('split', xs.map((x) => x.shape[axis]))], bases, [attr.int('axis', axis)]);
      }
      return parts.map((p, i) => (needInputGrad[i] ? p : null));
    },
  };
}
