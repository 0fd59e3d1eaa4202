import { attr } from '@cnnkit/onnx-proto';
import { CnnkitError } from '@cnnkit/tensor-core';
import { readNumber } from './config.js';
import type { EmitContext, Emitter } from './emit-context.js';
import type { ExportLayer } from './export-model.js';
import type { Value } from './onnx-graph.js';

function shapeText(v: Value): string {
  return `[N, ${v.shape.join(', ')}]`;
}

/** Brings all merge inputs to one layout: NCHW if any 4-D input already is, so no extra transpose back. */
function unify(ctx: EmitContext, layer: ExportLayer, inputs: readonly Value[]): Value[] {
  if (inputs.length < 2) {
    throw new CnnkitError('EXPORT_CONFIG', `ONNX export of layer "${layer.name}" (${layer.className}): expected at least 2 inputs, received ${inputs.length}`);
  }
  const rank = inputs[0].shape.length;
  if (inputs.some((v) => v.shape.length !== rank)) {
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (${layer.className}): expected inputs of one rank, received ${inputs.map(shapeText).join(', ')}`,
    );
  }
  const nchw = inputs.some((v) => v.layout === 'NCHW');
  return inputs.map((v) => (nchw ? ctx.toNCHW(v) : ctx.toNHWC(v)));
}

/** Add -> a chain of ONNX Add over inputs of the same shape. */
export const emitAdd: Emitter = (ctx, layer, inputs) => {
  const xs = unify(ctx, layer, inputs);
  const shape = xs[0].shape;
  if (xs.some((v) => v.shape.some((d, i) => d !== shape[i]))) {
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (Add): expected inputs of one shape, received ${xs.map(shapeText).join(', ')}`,
    );
  }
  let name = xs[0].name;
  for (let i = 1; i < xs.length; i++) {
    name = ctx.graph.node('Add', [name, xs[i].name], i === xs.length - 1 ? layer.name : `${layer.name}_partial`);
  }
  return { name, shape, layout: xs[0].layout };
};

/** Concatenate -> ONNX Concat on the Keras axis (default -1), mapped into the tensor's layout. */
export const emitConcatenate: Emitter = (ctx, layer, inputs) => {
  const xs = unify(ctx, layer, inputs);
  const rank = xs[0].shape.length + 1;
  const axis = readNumber(layer, 'axis', -1);
  const kerasAxis = axis < 0 ? rank + axis : axis;
  if (!Number.isInteger(kerasAxis) || kerasAxis < 1 || kerasAxis >= rank) {
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (Concatenate): expected a non-batch axis in [1, ${rank - 1}] or [-${rank - 1}, -1], received ${axis}`,
    );
  }
  const d = kerasAxis - 1;
  const shape = [...xs[0].shape];
  for (const v of xs) {
    if (v.shape.some((s, i) => i !== d && s !== shape[i])) {
      throw new CnnkitError(
        'EXPORT_CONFIG',
        `ONNX export of layer "${layer.name}" (Concatenate): expected inputs equal except on axis ${axis}, received ${xs.map(shapeText).join(', ')}`,
      );
    }
  }
  shape[d] = xs.reduce((a, v) => a + v.shape[d], 0);
  // NHWC axis 1 (H), 2 (W), 3 (C) are NCHW axes 2, 3, 1.
  const onnxAxis = xs[0].layout === 'NCHW' ? [0, 2, 3, 1][kerasAxis] : kerasAxis;
  return { name: ctx.graph.node('Concat', xs.map((v) => v.name), layer.name, [attr.int('axis', onnxAxis)]), shape, layout: xs[0].layout };
};
