import { emitActivation, KERAS_LEAKY_RELU_SLOPE, readActivation } from './activation.js';
import { readNumber } from './config.js';
import type { Emitter } from './emit-context.js';

/** Activation layer: the activation on its input, layout unchanged (softmax follows the channel axis). */
export const emitActivationLayer: Emitter = (ctx, layer, [input]) =>
  emitActivation(ctx, input, readActivation(layer), layer.name, readNumber(layer, 'negativeSlope', KERAS_LEAKY_RELU_SLOPE));
