import type { Conv2D, Layer } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { checkActivation, emitActivation, emitActivationGrad, mixesChannels, type TrainableActivation } from './activation-grad.js';
import { emitBiasGrad, emitFilterGrad, type ConvGeometry } from './conv-filter-grad.js';
import { attr } from './graph-builder.js';
import { tfPads, type LayerLowering, type LoweringContext, type Sym } from './lowering.js';
import { blockedFilter, flippedTransposedFilter, NCHWC_DOMAIN, reorderInput, reorderOutput } from './nchwc.js';

export { oneHotWindowKernel } from './conv-filter-grad.js';

/** A plain convolution as Conv2D has it; SeparableConv2D's pointwise step is one too. */
export interface ConvolutionSpec {
  /** The layer that owns the kernel and bias (gradients go to `layer/<kernelWeight>`). */
  readonly layer: Layer;
  readonly kernelWeight: string;
  /** Prefix of the graph's names. */
  readonly base: string;
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: 'same' | 'valid';
  readonly dilationRate: readonly [number, number];
  readonly activation: TrainableActivation;
  readonly useBias: boolean;
}

/**
 * Conv2D: forward `Conv` (+ bias, activation; dilation as an attribute); backward
 * - pre-activation gradient from the output (activation-grad.ts; ReLU: Where y > 0);
 * - filter gradient: MatMul of the gradient `[N, O, P]` with the input's shifted windows
 *   `[N, P, I*kh*kw]` built by a grouped Conv with a constant one-hot kernel (measured
 *   fastest), summed over the batch;
 * - input gradient: ConvTranspose with the same kernel, pads and an output padding that
 *   restores the input size (TF's asymmetric `same` pads included).
 * With `deferRelu` (a MaxPooling2D follows) the layer outputs its pre-activation and
 * the pooling layer applies the ReLU after pooling.
 *
 * With an NCHWc block (`ctx.block`) and filters a multiple of it, the forward runs on
 * onnxruntime's blocked convolution and outputs a blocked tensor; so does a stride-1
 * input gradient (a convolution of the gradient with the flipped, transposed kernel,
 * whose pads are the kernel size minus one minus the forward pads). The filter
 * gradient reads an NCHW copy of the input and the blocked gradient as it is.
 */
export function lowerConv2d(ctx: LoweringContext, layer: Conv2D, options: { deferRelu?: boolean } = {}): LayerLowering {
  const name = layer.name!;
  return lowerConvolution(
    ctx,
    {
      layer,
      kernelWeight: 'kernel',
      base: name,
      filters: layer.filters,
      kernelSize: layer.kernelSize,
      strides: layer.strides,
      padding: layer.padding,
      dilationRate: layer.dilationRate,
      activation: checkActivation(`Conv2D "${name}"`, layer.activation),
      useBias: layer.useBias,
    },
    options,
  );
}

/**
 * A convolution from its spec (see lowerConv2d). Dilated kernels and channel-mixing
 * activations (softmax over the channels) stay NCHW: the blocked Conv's storage keeps
 * channels apart.
 */
export function lowerConvolution(ctx: LoweringContext, spec: ConvolutionSpec, options: { deferRelu?: boolean } = {}): LayerLowering {
  const { b, block } = ctx;
  const { layer } = spec;
  const name = spec.base;
  const declared = spec.activation;
  // A following max-pool applies the ReLU on its (4x smaller) output instead: see lowerMaxPooling2d.
  const activation = options.deferRelu === true && declared === 'relu' ? 'linear' : declared;
  const [kh, kw] = spec.kernelSize;
  const [sh, sw] = spec.strides;
  const [dh, dw] = spec.dilationRate;
  const dilated = dh !== 1 || dw !== 1;
  const kernel = ctx.param(layer, spec.kernelWeight, 'hwio-to-oihw');
  const bias = spec.useBias ? ctx.param(layer, 'bias', 'same') : null;
  const blockedOutput = block !== null && spec.filters % block === 0 && !dilated && !mixesChannels(activation);
  let x!: Sym;
  let z!: Sym;
  let y!: Sym;
  let pads!: number[];
  /** How the blocked forward read its input: as given (blocked), reordered from NCHW, or NCHW with fewer channels than the block. */
  let inputMode: 'plain' | 'blocked' | 'reordered' | 'nchw-small' = 'plain';
  return {
    acceptsBlocked: () => blockedOutput,
    forward(input) {
      if (input.layout === 'flat') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: ${layer.className} "${layer.name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, ci, h, w] = x.shape;
      const ph = tfPads(h, kh, sh, dh, spec.padding);
      const pw = tfPads(w, kw, sw, dw, spec.padding);
      pads = [ph.before, pw.before, ph.after, pw.after];
      const shape = [n, spec.filters, ph.out, pw.out];
      const convAttrs = [attr.ints('kernel_shape', [kh, kw]), attr.ints('strides', [sh, sw]), attr.ints('pads', pads), ...(dilated ? [attr.ints('dilations', [dh, dw])] : [])];
      inputMode = !blockedOutput ? 'plain' : x.layout === 'NCHWc' ? 'blocked' : ci % block! === 0 ? 'reordered' : ci < block! ? 'nchw-small' : 'plain';
      if (inputMode === 'plain') {
        const zName = b.op('Conv', bias === null ? [x.name, kernel] : [x.name, kernel, bias], `${name}/conv`, convAttrs);
        z = { name: zName, shape, layout: 'NCHW' };
      } else {
        const xb = inputMode === 'reordered' ? reorderInput(b, x, `${name}/x_blocked`).name : x.name;
        const filter = blockedFilter(b, kernel, [spec.filters, ci, kh, kw], block!, inputMode !== 'nchw-small', `${name}/kernel`);
        const zName = b.op('Conv', bias === null ? [xb, filter] : [xb, filter, bias], `${name}/conv`, convAttrs, NCHWC_DOMAIN);
        z = { name: zName, shape, layout: 'NCHWc' };
      }
      // Softmax is over the channels, axis 1 of NCHW (never blocked, see blockedOutput).
      y = { name: emitActivation(b, activation, z.name, name, 1), shape, layout: z.layout };
      return y;
    },
    head: () => ({ activation, preActivation: z, output: y }),
    backward(dy, needInputGrad, wrt) {
      const dzAny = wrt === 'preactivation' ? dy : emitActivationGrad(b, activation, { y: y.name, z: z.name }, dy, name, 1);
      const [, ci, h, w] = x.shape;
      const [, co, oh, ow] = z.shape;
      const blocked = z.layout === 'NCHWc';
      // The filter gradient reads the input's windows from NCHW and the gradient as it is.
      const dzGrad = { name: dzAny, shape: z.shape, block: blocked ? block : null };
      const xNchw = x.layout === 'NCHWc' ? reorderOutput(b, x, `${name}/x_nchw`).name : x.name;
      const geometry: ConvGeometry = { kernel: [kh, kw], strides: [sh, sw], pads, dilations: [dh, dw] };
      ctx.grad(`${layer.name}/${spec.kernelWeight}`, emitFilterGrad(b, name, { name: xNchw, shape: x.shape }, dzGrad, geometry, ctx.windowChunkBytes));
      if (bias !== null) ctx.grad(`${layer.name}/bias`, emitBiasGrad(b, name, dzGrad));
      if (!needInputGrad) return null;
      if (blocked && sh === 1 && sw === 1 && ci % block! === 0) {
        const flipped = flippedTransposedFilter(b, kernel, `${name}/dx_kernel`);
        const filter = blockedFilter(b, flipped, [ci, co, kh, kw], block!, true, `${name}/dx_kernel`);
        const dxPads = [kh - 1 - pads[0], kw - 1 - pads[1], kh - 1 - pads[2], kw - 1 - pads[3]];
        const dxb = b.op('Conv', [dzAny, filter], `${name}/dx_blocked`, [attr.ints('kernel_shape', [kh, kw]), attr.ints('pads', dxPads)], NCHWC_DOMAIN);
        return x.layout === 'NCHWc' ? dxb : reorderOutput(b, { name: dxb, shape: x.shape, layout: 'NCHWc' }, `${name}/dx`).name;
      }
      const outH = (oh - 1) * sh + (kh - 1) * dh + 1 - pads[0] - pads[2];
      const outW = (ow - 1) * sw + (kw - 1) * dw + 1 - pads[1] - pads[3];
      const dz = blocked ? reorderOutput(b, { name: dzAny, shape: z.shape, layout: z.layout }, `${name}/dz_nchw`).name : dzAny;
      const dx = b.op('ConvTranspose', [dz, kernel], `${name}/dx`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
        attr.ints('dilations', [dh, dw]),
        attr.ints('output_padding', [h - outH, w - outW]),
      ]);
      return x.layout === 'NCHWc' ? reorderInput(b, { name: dx, shape: x.shape, layout: 'NCHW' }, `${name}/dx_blocked`).name : dx;
    },
  };
}
