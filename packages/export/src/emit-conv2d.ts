import { attr, permute } from '@cnnkit/onnx-proto';
import { CnnkitError } from '@cnnkit/tensor-core';
import { emitActivation, readActivation } from './activation.js';
import { assertChannelsLast, assertImageInput, assertPositiveOutput, readConvWindow, readInt, readWeight } from './config.js';
import type { Emitter } from './emit-context.js';
import { windowPads } from './padding.js';

/**
 * Conv2D -> ONNX Conv (NCHW). The Keras kernel [kh, kw, in/groups, out] becomes
 * [out, in/groups, kh, kw]; TF "same" padding is written as explicit pads.
 */
export const emitConv2D: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  assertImageInput(layer, input.shape);
  const x = ctx.toNCHW(input);
  const [h, w, inChannels] = x.shape;
  const filters = readInt(layer, 'filters');
  const groups = readInt(layer, 'groups', 1);
  const { kernelSize, strides, dilations, padding, useBias } = readConvWindow(layer);
  if (inChannels % groups !== 0 || filters % groups !== 0) {
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (Conv2D): groups ${groups} expected to divide input channels ${inChannels} and filters ${filters}`,
    );
  }
  const { out, pads } = windowPads(padding, [h, w], kernelSize, strides, dilations);
  assertPositiveOutput(layer, [h, w], out);
  const kernel = readWeight(layer, 'kernel', [kernelSize[0], kernelSize[1], inChannels / groups, filters]);
  const g = ctx.graph;
  const wOnnx = permute(kernel.values, kernel.shape, [3, 2, 0, 1]);
  const inputs = [x.name, g.float(`${layer.name}_kernel`, wOnnx.shape, wOnnx.values)];
  if (useBias) inputs.push(g.float(`${layer.name}_bias`, [filters], readWeight(layer, 'bias', [filters]).values));
  const y = g.node('Conv', inputs, layer.name, [
    attr.ints('kernel_shape', kernelSize),
    attr.ints('strides', strides),
    attr.ints('dilations', dilations),
    attr.ints('pads', pads),
    attr.int('group', groups),
  ]);
  return emitActivation(ctx, { name: y, shape: [out[0], out[1], filters], layout: 'NCHW' }, readActivation(layer), `${layer.name}_act`);
};
