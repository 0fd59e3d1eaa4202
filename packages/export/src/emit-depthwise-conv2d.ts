import { attr, permute } from '@cnnkit/onnx-proto';
import { emitActivation, readActivation } from './activation.js';
import { assertChannelsLast, assertImageInput, assertPositiveOutput, readConvWindow, readInt, readWeight } from './config.js';
import type { Emitter } from './emit-context.js';
import { windowPads } from './padding.js';

/**
 * DepthwiseConv2D -> Conv with group = input channels. TF orders the output
 * channels c*multiplier + m, ONNX's grouped order once the kernel
 * [kh, kw, in, mult] becomes [in*mult, 1, kh, kw]; the bias has in*mult values.
 */
export const emitDepthwiseConv2D: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  assertImageInput(layer, input.shape);
  const x = ctx.toNCHW(input);
  const [h, w, inChannels] = x.shape;
  const multiplier = readInt(layer, 'depthMultiplier', 1);
  const { kernelSize, strides, dilations, padding, useBias } = readConvWindow(layer);
  const { out, pads } = windowPads(padding, [h, w], kernelSize, strides, dilations);
  assertPositiveOutput(layer, [h, w], out);
  const channels = inChannels * multiplier;
  const kernel = readWeight(layer, 'kernel', [kernelSize[0], kernelSize[1], inChannels, multiplier]);
  const g = ctx.graph;
  const wOnnx = permute(kernel.values, kernel.shape, [2, 3, 0, 1]);
  const inputs = [x.name, g.float(`${layer.name}_kernel`, [channels, 1, kernelSize[0], kernelSize[1]], wOnnx.values)];
  if (useBias) inputs.push(g.float(`${layer.name}_bias`, [channels], readWeight(layer, 'bias', [channels]).values));
  const y = g.node('Conv', inputs, layer.name, [
    attr.ints('kernel_shape', kernelSize),
    attr.ints('strides', strides),
    attr.ints('dilations', dilations),
    attr.ints('pads', pads),
    attr.int('group', inChannels),
  ]);
  return emitActivation(ctx, { name: y, shape: [out[0], out[1], channels], layout: 'NCHW' }, readActivation(layer), `${layer.name}_act`);
};
