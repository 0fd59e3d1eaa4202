import { attr } from '@cnnkit/onnx-proto';
import { assertChannelsLast, assertImageInput, readBool } from './config.js';
import type { Emitter } from './emit-context.js';

/**
 * GlobalAveragePooling2D / GlobalMaxPooling2D -> GlobalAveragePool / GlobalMaxPool
 * ([N, C, 1, 1]); without Keras's `keepdims` the result is flattened to [N, C],
 * which needs no transpose because the 1x1 spatial dims carry no order.
 */
export const emitGlobalPooling2D: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  assertImageInput(layer, input.shape);
  const x = ctx.toNCHW(input);
  const channels = x.shape[2];
  const keepdims = readBool(layer, 'keepdims', false);
  const op = layer.className === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool';
  if (keepdims) return { name: ctx.graph.node(op, [x.name], layer.name), shape: [1, 1, channels], layout: 'NCHW' };
  const pooled = ctx.graph.node(op, [x.name], `${layer.name}_pooled`);
  return { name: ctx.graph.node('Flatten', [pooled], layer.name, [attr.int('axis', 1)]), shape: [channels], layout: 'flat' };
};
