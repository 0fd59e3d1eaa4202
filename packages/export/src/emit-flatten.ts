import { attr } from '@cnnkit/onnx-proto';
import { assertChannelsLast } from './config.js';
import type { Emitter } from './emit-context.js';

/**
 * Flatten -> ONNX Flatten(axis 1) after making the tensor NHWC again: Keras
 * flattens in H, W, C order, so the Dense kernel that follows expects that order.
 */
export const emitFlatten: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  const x = ctx.toNHWC(input);
  const size = x.shape.reduce((a, b) => a * b, 1);
  return { name: ctx.graph.node('Flatten', [x.name], layer.name, [attr.int('axis', 1)]), shape: [size], layout: 'flat' };
};
