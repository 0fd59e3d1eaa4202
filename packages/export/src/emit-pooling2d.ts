import { attr } from '@cnnkit/onnx-proto';
import { assertChannelsLast, assertImageInput, assertPositiveOutput, readEnum, readPair } from './config.js';
import type { Emitter } from './emit-context.js';
import { windowPads } from './padding.js';

/**
 * MaxPooling2D / AveragePooling2D -> MaxPool / AveragePool. Keras: strides
 * default to the pool size, padding "valid". TF averages only over real pixels
 * at "same" borders, hence `count_include_pad = 0`.
 */
export const emitPooling2D: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  assertImageInput(layer, input.shape);
  const x = ctx.toNCHW(input);
  const [h, w, channels] = x.shape;
  const poolSize = readPair(layer, 'poolSize', 2);
  const strides = readPair(layer, 'strides', poolSize);
  const padding = readEnum(layer, 'padding', ['valid', 'same'], 'valid');
  const { out, pads } = windowPads(padding, [h, w], poolSize, strides);
  assertPositiveOutput(layer, [h, w], out);
  const common = [attr.ints('kernel_shape', poolSize), attr.ints('strides', strides), attr.ints('pads', pads)];
  const y =
    layer.className === 'MaxPooling2D'
      ? ctx.graph.node('MaxPool', [x.name], layer.name, common)
      : ctx.graph.node('AveragePool', [x.name], layer.name, [...common, attr.int('count_include_pad', 0)]);
  return { name: y, shape: [out[0], out[1], channels], layout: 'NCHW' };
};
