import type { Conv2DTranspose } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { checkActivation, emitActivation, emitActivationGrad } from './activation-grad.js';
import { emitBiasGrad, emitFilterGrad, type ConvGeometry } from './conv-filter-grad.js';
import { attr } from './graph-builder.js';
import { tfPads, type LayerLowering, type LoweringContext, type Sym } from './lowering.js';

/**
 * Conv2DTranspose (Keras kernel `[kh, kw, filters, in]`, fed as ConvTranspose's
 * `[in, filters, kh, kw]`). It is the input gradient of a convolution from its output
 * (`[oh, ow]`) to its input, so TensorFlow's pads are that convolution's pads
 * (`same`: `oh = h · stride`, the odd pixel after); an output padding restores the size.
 * Backward: the input gradient is that convolution itself (`Conv` of the gradient with
 * the same kernel); the filter gradient is the convolution's, with input and output
 * swapped (windows of the output gradient times the input); dilation is an attribute
 * of both, as the layer dilates its kernel.
 */
export function lowerConv2dTranspose(ctx: LoweringContext, layer: Conv2DTranspose): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const activation = checkActivation(`Conv2DTranspose "${name}"`, layer.activation);
  const [kh, kw] = layer.kernelSize;
  const [sh, sw] = layer.strides;
  const [dh, dw] = layer.dilationRate;
  const kernel = ctx.param(layer, 'kernel', 'hwio-to-oihw');
  const bias = layer.useBias ? ctx.param(layer, 'bias', 'same') : null;
  let x!: Sym;
  let z!: Sym;
  let y!: Sym;
  let geometry!: ConvGeometry;
  return {
    forward(input) {
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: Conv2DTranspose "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, , h, w] = x.shape;
      const effH = (kh - 1) * dh + 1;
      const effW = (kw - 1) * dw + 1;
      const oh = layer.padding === 'same' ? h * sh : (h - 1) * sh + effH;
      const ow = layer.padding === 'same' ? w * sw : (w - 1) * sw + effW;
      const ph = tfPads(oh, kh, sh, dh, layer.padding);
      const pw = tfPads(ow, kw, sw, dw, layer.padding);
      const pads = [ph.before, pw.before, ph.after, pw.after];
      geometry = { kernel: [kh, kw], strides: [sh, sw], pads, dilations: [dh, dw] };
      const outputPadding = [oh - ((h - 1) * sh + effH - ph.before - ph.after), ow - ((w - 1) * sw + effW - pw.before - pw.after)];
      const shape = [n, layer.filters, oh, ow];
      const zName = b.op('ConvTranspose', bias === null ? [x.name, kernel] : [x.name, kernel, bias], `${name}/conv_transpose`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
        attr.ints('dilations', [dh, dw]),
        attr.ints('output_padding', outputPadding),
      ]);
      z = { name: zName, shape, layout: 'NCHW' };
      y = { name: emitActivation(b, activation, zName, name, 1), shape, layout: 'NCHW' };
      return y;
    },
    head: () => ({ activation, preActivation: z, output: y }),
    backward(dy, needInputGrad, wrt) {
      const dz = wrt === 'preactivation' ? dy : emitActivationGrad(b, activation, { y: y.name, z: z.name }, dy, name, 1);
      const dzSym = { name: dz, shape: z.shape };
      ctx.grad(`${name}/kernel`, emitFilterGrad(b, name, dzSym, { name: x.name, shape: x.shape }, geometry, ctx.windowChunkBytes));
      if (bias !== null) ctx.grad(`${name}/bias`, emitBiasGrad(b, name, dzSym));
      if (!needInputGrad) return null;
      return b.op('Conv', [dz, kernel], `${name}/dx`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', geometry.pads),
        attr.ints('dilations', [dh, dw]),
      ]);
    },
  };
}
