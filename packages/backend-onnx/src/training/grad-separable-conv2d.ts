import type { SeparableConv2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { checkActivation } from './activation-grad.js';
import { emitDepthwiseFilterGrad, type ConvGeometry } from './conv-filter-grad.js';
import { lowerConvolution } from './grad-conv2d.js';
import { attr } from './graph-builder.js';
import { tfPads, type LayerLowering, type LoweringContext, type Sym } from './lowering.js';

/**
 * SeparableConv2D: a depthwise convolution (grouped `Conv`, `group` = C, kernel
 * `[C*M, 1, kh, kw]` for depth multiplier M; strides, TF pads and dilation as the
 * layer has them) then the 1x1 pointwise convolution with bias and activation, which
 * is a plain convolution (lowerConvolution: blocked when its filters allow).
 * Backward of the depthwise step: the filter gradient per channel from the input's
 * windows (emitDepthwiseFilterGrad), the input gradient a grouped ConvTranspose with
 * the same kernel. The depthwise step reads NCHW.
 */
export function lowerSeparableConv2d(ctx: LoweringContext, layer: SeparableConv2D): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const [kh, kw] = layer.kernelSize;
  const [sh, sw] = layer.strides;
  const [dh, dw] = layer.dilationRate;
  const m = layer.depthMultiplier;
  // Declared first: the weights keep the layer's order.
  const depthwise = ctx.param(layer, 'depthwise_kernel', 'depthwise');
  const pointwise = lowerConvolution(ctx, {
    layer,
    kernelWeight: 'pointwise_kernel',
    base: `${name}/pointwise`,
    filters: layer.filters,
    kernelSize: [1, 1],
    strides: [1, 1],
    padding: 'valid',
    dilationRate: [1, 1],
    activation: checkActivation(`SeparableConv2D "${name}"`, layer.activation),
    useBias: layer.useBias,
  });
  let x!: Sym;
  let d!: Sym;
  let geometry!: ConvGeometry;
  return {
    forward(input) {
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: SeparableConv2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, c, h, w] = x.shape;
      const ph = tfPads(h, kh, sh, dh, layer.padding);
      const pw = tfPads(w, kw, sw, dw, layer.padding);
      const pads = [ph.before, pw.before, ph.after, pw.after];
      geometry = { kernel: [kh, kw], strides: [sh, sw], pads, dilations: [dh, dw] };
      const dName = b.op('Conv', [x.name, depthwise], `${name}/depthwise`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
        attr.ints('dilations', [dh, dw]),
        attr.int('group', c),
      ]);
      d = { name: dName, shape: [n, c * m, ph.out, pw.out], layout: 'NCHW' };
      return pointwise.forward(d);
    },
    head: () => pointwise.head!(),
    backward(dy, needInputGrad, wrt) {
      // The depthwise kernel needs the gradient at the pointwise step's input.
      const dd = pointwise.backward(dy, true, wrt)!;
      ctx.grad(`${name}/depthwise_kernel`, emitDepthwiseFilterGrad(b, `${name}/depthwise`, x, { name: dd, shape: d.shape }, geometry, ctx.windowChunkBytes));
      if (!needInputGrad) return null;
      const [, c, h, w] = x.shape;
      const [, , oh, ow] = d.shape;
      const { pads } = geometry;
      const outH = (oh - 1) * sh + (kh - 1) * dh + 1 - pads[0] - pads[2];
      const outW = (ow - 1) * sw + (kw - 1) * dw + 1 - pads[1] - pads[3];
      return b.op('ConvTranspose', [dd, depthwise], `${name}/dx`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
        attr.ints('dilations', [dh, dw]),
        attr.ints('output_padding', [h - outH, w - outW]),
        attr.int('group', c),
      ]);
    },
  };
}
