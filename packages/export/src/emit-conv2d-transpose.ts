import { attr, permute } from '@cnnkit/onnx-proto';
import { CnnkitError } from '@cnnkit/tensor-core';
import { emitActivation, readActivation } from './activation.js';
import { assertChannelsLast, assertImageInput, readConvWindow, readInt, readWeight } from './config.js';
import type { Emitter } from './emit-context.js';
import type { ExportLayer } from './export-model.js';
import { transposeOutput1d, transposePads1d } from './padding.js';

function readOutputPadding(layer: ExportLayer): [number, number] | null {
  const v = layer.config.outputPadding;
  if (v === undefined || v === null) return null;
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((p) => Number.isInteger(p) && p >= 0)) {
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (${layer.className}): config.outputPadding expected null, a non-negative integer or a pair of them, received ${JSON.stringify(v)}`,
    );
  }
  return [pair[0] as number, pair[1] as number];
}

/**
 * Conv2DTranspose -> ONNX ConvTranspose. The output size follows Keras's
 * `deconv_output_length`; explicit `pads` and `output_padding` then reproduce
 * TensorFlow's conv2d_transpose cropping (see `transposePads1d`). The Keras
 * kernel [kh, kw, filters, in] becomes ONNX's [in, filters, kh, kw].
 */
export const emitConv2DTranspose: Emitter = (ctx, layer, [input]) => {
  assertChannelsLast(layer);
  assertImageInput(layer, input.shape);
  const x = ctx.toNCHW(input);
  const [h, w, inChannels] = x.shape;
  const filters = readInt(layer, 'filters');
  const { kernelSize, strides, dilations, padding, useBias } = readConvWindow(layer);
  const outputPadding = readOutputPadding(layer);
  if (outputPadding && outputPadding.some((p, a) => p >= strides[a])) {
    // Keras refuses this too; ONNX requires output_padding < stride.
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (Conv2DTranspose): config.outputPadding expected each value below the stride [${strides.join(', ')}], received [${outputPadding.join(', ')}]`,
    );
  }
  const out = [0, 1].map((a) => transposeOutput1d([h, w][a], kernelSize[a], strides[a], dilations[a], padding, outputPadding ? outputPadding[a] : null));
  const axes = [0, 1].map((a) => transposePads1d([h, w][a], out[a], kernelSize[a], strides[a], dilations[a], padding));
  const kernel = readWeight(layer, 'kernel', [kernelSize[0], kernelSize[1], filters, inChannels]);
  const g = ctx.graph;
  const wOnnx = permute(kernel.values, kernel.shape, [3, 2, 0, 1]);
  const inputs = [x.name, g.float(`${layer.name}_kernel`, wOnnx.shape, wOnnx.values)];
  if (useBias) inputs.push(g.float(`${layer.name}_bias`, [filters], readWeight(layer, 'bias', [filters]).values));
  const y = g.node('ConvTranspose', inputs, layer.name, [
    attr.ints('kernel_shape', kernelSize),
    attr.ints('strides', strides),
    attr.ints('dilations', dilations),
    attr.ints('pads', [axes[0].before, axes[1].before, axes[0].after, axes[1].after]),
    attr.ints('output_padding', [axes[0].outputPadding, axes[1].outputPadding]),
  ]);
  return emitActivation(ctx, { name: y, shape: [out[0], out[1], filters], layout: 'NCHW' }, readActivation(layer), `${layer.name}_act`);
};
