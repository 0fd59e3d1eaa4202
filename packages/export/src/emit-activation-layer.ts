import { attr } from '@cnnkit/onnx-proto';
import { CnnkitError } from '@cnnkit/tensor-core';
import { emitActivation, KERAS_LEAKY_RELU_SLOPE, readActivation } from './activation.js';
import { readNumber } from './config.js';
import type { Emitter } from './emit-context.js';

/** Keras 3's LeakyReLU *layer* default (the `leaky_relu` activation function's is 0.2). */
export const KERAS_LEAKY_RELU_LAYER_SLOPE = 0.3;

/** Activation layer: the activation on its input, layout unchanged (softmax follows the channel axis). */
export const emitActivationLayer: Emitter = (ctx, layer, [input]) =>
  emitActivation(ctx, input, readActivation(layer), layer.name, readNumber(layer, 'negativeSlope', KERAS_LEAKY_RELU_SLOPE));

/** LeakyReLU layer: `negativeSlope` defaults to 0.3 (Keras 3). */
export const emitLeakyReLU: Emitter = (ctx, layer, [input]) =>
  emitActivation(ctx, input, 'leaky_relu', layer.name, readNumber(layer, 'negativeSlope', KERAS_LEAKY_RELU_LAYER_SLOPE));

/** ELU layer: `alpha` defaults to 1. */
export const emitELU: Emitter = (ctx, layer, [input]) => ({
  ...input,
  name: ctx.graph.node('Elu', [input.name], layer.name, [attr.float('alpha', readNumber(layer, 'alpha', 1))]),
});

/**
 * ReLU layer: min(max(x, 0), maxValue), or LeakyRelu when `negativeSlope` is set.
 * A non-zero `threshold` has no single standard op and is refused by name.
 */
export const emitReLU: Emitter = (ctx, layer, [input]) => {
  const threshold = readNumber(layer, 'threshold', 0);
  if (threshold !== 0) {
    throw new CnnkitError('EXPORT_UNSUPPORTED', `ONNX export of layer "${layer.name}" (ReLU): expected threshold 0, received ${threshold}; supported: maxValue, negativeSlope`);
  }
  const slope = readNumber(layer, 'negativeSlope', 0);
  const g = ctx.graph;
  const maxValue = layer.config.maxValue === null || layer.config.maxValue === undefined ? null : readNumber(layer, 'maxValue', 0);
  const base = maxValue === null ? layer.name : `${layer.name}_unclipped`;
  const y = slope === 0 ? g.node('Relu', [input.name], base) : g.node('LeakyRelu', [input.name], base, [attr.float('alpha', slope)]);
  if (maxValue === null) return { ...input, name: y };
  return { ...input, name: g.node('Min', [y, g.float(`${layer.name}_max`, [], new Float32Array([maxValue]))], layer.name) };
};

/** Softmax layer over Keras's last axis (axis 1 in NCHW); other axes are refused by name. */
export const emitSoftmax: Emitter = (ctx, layer, [input]) => {
  const axis = readNumber(layer, 'axis', -1);
  if (axis !== -1 && axis !== input.shape.length) {
    throw new CnnkitError('EXPORT_UNSUPPORTED', `ONNX export of layer "${layer.name}" (Softmax): expected axis -1 (or ${input.shape.length}), received ${axis}`);
  }
  return emitActivation(ctx, input, 'softmax', layer.name);
};
