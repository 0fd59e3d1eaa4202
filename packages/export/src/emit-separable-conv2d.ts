import { attr, permute } from '@cnnkit/onnx-proto';
import { emitActivation, readActivation } from './activation.js';
import { assertChannelsLast, assertImageInput, assertPositiveOutput, readConvWindow, readInt, readWeight } from './config.js';
import type { Emitter } from './emit-context.js';
import { windowPads } from './padding.js';

/**
 * SeparableConv2D -> depthwise Conv (group = in channels, carrying strides,
 * padding and dilation) then a 1x1 pointwise Conv with the bias. TF orders the
 * depthwise output channels as c*multiplier + m, which is exactly ONNX's grouped
 * output order once the kernel [kh, kw, in, mult] becomes [in*mult, 1, kh, kw].
 */
export const emitSeparableConv2D: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  assertImageInput(layer, input.shape);
  const x = ctx.toNCHW(input);
  const [h, w, inChannels] = x.shape;
  const filters = readInt(layer, 'filters');
  const multiplier = readInt(layer, 'depthMultiplier', 1);
  const { kernelSize, strides, dilations, padding, useBias } = readConvWindow(layer);
  const { out, pads } = windowPads(padding, [h, w], kernelSize, strides, dilations);
  assertPositiveOutput(layer, [h, w], out);
  const depthwise = readWeight(layer, 'depthwiseKernel', [kernelSize[0], kernelSize[1], inChannels, multiplier]);
  const pointwise = readWeight(layer, 'pointwiseKernel', [1, 1, inChannels * multiplier, filters]);
  const g = ctx.graph;
  const dw = permute(depthwise.values, depthwise.shape, [2, 3, 0, 1]);
  const dwName = g.float(`${layer.name}_depthwise_kernel`, [inChannels * multiplier, 1, kernelSize[0], kernelSize[1]], dw.values);
  const mid = g.node('Conv', [x.name, dwName], `${layer.name}_depthwise`, [
    attr.ints('kernel_shape', kernelSize),
    attr.ints('strides', strides),
    attr.ints('dilations', dilations),
    attr.ints('pads', pads),
    attr.int('group', inChannels),
  ]);
  const pw = permute(pointwise.values, pointwise.shape, [3, 2, 0, 1]);
  const inputs = [mid, g.float(`${layer.name}_pointwise_kernel`, pw.shape, pw.values)];
  if (useBias) inputs.push(g.float(`${layer.name}_bias`, [filters], readWeight(layer, 'bias', [filters]).values));
  const y = g.node('Conv', inputs, layer.name, [attr.ints('kernel_shape', [1, 1])]);
  return emitActivation(ctx, { name: y, shape: [out[0], out[1], filters], layout: 'NCHW' }, readActivation(layer), `${layer.name}_act`);
};
