import type { Conv2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { checkActivation, emitActivation, emitActivationGrad } from './activation-grad.js';
import { attr } from './graph-builder.js';
import { tfPads, type LayerLowering, type LoweringContext, type Sym } from './lowering.js';
import { blockedFilter, flippedTransposedFilter, NCHWC_DOMAIN, reorderInput, reorderOutput } from './nchwc.js';

/**
 * The one-hot kernel of the window-gathering grouped convolution: output channel
 * `i*kh*kw + ky*kw + kx` copies input channel `i` shifted by `(ky, kx)`, so its output
 * is the im2col of the input in the OIHW order of the filter gradient.
 */
export function oneHotWindowKernel(inChannels: number, kh: number, kw: number): Float32Array {
  const k = kh * kw;
  const out = new Float32Array(inChannels * k * k);
  for (let c = 0; c < inChannels * k; c++) out[c * k + (c % k)] = 1;
  return out;
}

/**
 * Conv2D: forward `Conv` (+ bias, activation); backward
 * - pre-activation gradient from the output (ReLU: Where y > 0);
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
 * gradient reads NCHW copies of the input and of the gradient.
 */
export function lowerConv2d(ctx: LoweringContext, layer: Conv2D, options: { deferRelu?: boolean } = {}): LayerLowering {
  const { b, block } = ctx;
  const name = layer.name!;
  const declared = checkActivation(`Conv2D "${name}"`, layer.activation, ['linear', 'relu', 'sigmoid']);
  // A following max-pool applies the ReLU on its (4x smaller) output instead: see lowerMaxPooling2d.
  const activation = options.deferRelu === true && declared === 'relu' ? 'linear' : declared;
  if (layer.dilationRate[0] !== 1 || layer.dilationRate[1] !== 1) {
    throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: Conv2D "${name}" has dilationRate [${layer.dilationRate}]; the ORT training engine supports dilation [1, 1]`);
  }
  const [kh, kw] = layer.kernelSize;
  const [sh, sw] = layer.strides;
  const kernel = ctx.param(layer, 'kernel', 'hwio-to-oihw');
  const bias = layer.useBias ? ctx.param(layer, 'bias', 'same') : null;
  const blockedOutput = block !== null && layer.filters % block === 0;
  let x!: Sym;
  let z!: Sym;
  let y!: Sym;
  let pads!: number[];
  /** How the blocked forward read its input: as given (blocked), reordered from NCHW, or NCHW with fewer channels than the block. */
  let inputMode: 'plain' | 'blocked' | 'reordered' | 'nchw-small' = 'plain';
  return {
    acceptsBlocked: () => blockedOutput,
    forward(input) {
      if (input.layout === 'flat') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: Conv2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, ci, h, w] = x.shape;
      const ph = tfPads(h, kh, sh, 1, layer.padding);
      const pw = tfPads(w, kw, sw, 1, layer.padding);
      pads = [ph.before, pw.before, ph.after, pw.after];
      const shape = [n, layer.filters, ph.out, pw.out];
      const convAttrs = [attr.ints('kernel_shape', [kh, kw]), attr.ints('strides', [sh, sw]), attr.ints('pads', pads)];
      inputMode = !blockedOutput ? 'plain' : x.layout === 'NCHWc' ? 'blocked' : ci % block! === 0 ? 'reordered' : ci < block! ? 'nchw-small' : 'plain';
      if (inputMode === 'plain') {
        const zName = b.op('Conv', bias === null ? [x.name, kernel] : [x.name, kernel, bias], `${name}/conv`, convAttrs);
        z = { name: zName, shape, layout: 'NCHW' };
      } else {
        const xb = inputMode === 'reordered' ? reorderInput(b, x, `${name}/x_blocked`).name : x.name;
        const filter = blockedFilter(b, kernel, [layer.filters, ci, kh, kw], block!, inputMode !== 'nchw-small', `${name}/kernel`);
        const zName = b.op('Conv', bias === null ? [xb, filter] : [xb, filter, bias], `${name}/conv`, convAttrs, NCHWC_DOMAIN);
        z = { name: zName, shape, layout: 'NCHWc' };
      }
      y = { name: emitActivation(b, activation, z.name, name), shape, layout: z.layout };
      return y;
    },
    head: () => ({ activation, preActivation: z, output: y }),
    backward(dy, needInputGrad, wrt) {
      const dzAny = wrt === 'preactivation' ? dy : emitActivationGrad(b, activation, y.name, dy, name);
      const [n, ci, h, w] = x.shape;
      const [, co, oh, ow] = z.shape;
      const blocked = z.layout === 'NCHWc';
      const dzSym: Sym = { name: dzAny, shape: z.shape, layout: z.layout };
      // The filter gradient reads NCHW tensors.
      const dz = blocked ? reorderOutput(b, dzSym, `${name}/dz_nchw`).name : dzAny;
      const xNchw = x.layout === 'NCHWc' ? reorderOutput(b, x, `${name}/x_nchw`).name : x.name;
      const p = oh * ow;
      const k = ci * kh * kw;
      // Windows: [N, I*kh*kw, oh, ow] -> [N, I*kh*kw, P]; gradient [N, O, P].
      const windows =
        kh === 1 && kw === 1 && sh === 1 && sw === 1 && pads.every((v) => v === 0)
          ? xNchw
          : b.op('Conv', [xNchw, b.constant(`${name}/onehot`, [k, 1, kh, kw], oneHotWindowKernel(ci, kh, kw))], `${name}/windows`, [
              attr.ints('kernel_shape', [kh, kw]),
              attr.ints('strides', [sh, sw]),
              attr.ints('pads', pads),
              attr.int('group', ci),
            ]);
      const cols = b.op('Reshape', [windows, b.int64('shape', [n, k, p])], `${name}/cols`);
      const dz3 = b.op('Reshape', [dz, b.int64('shape', [n, co, p])], `${name}/dz3`);
      const colsT = b.op('Transpose', [cols], `${name}/cols_t`, [attr.ints('perm', [0, 2, 1])]);
      const perExample = b.op('MatMul', [dz3, colsT], `${name}/dw_n`);
      const dw = b.op('ReduceSum', [perExample, b.int64('axes', [0])], `${name}/dw_sum`, [attr.int('keepdims', 0)]);
      ctx.grad(`${name}/kernel`, b.op('Reshape', [dw, b.int64('shape', [co, ci, kh, kw])], `${name}/dkernel`));
      if (bias !== null) {
        // Over the contiguous pixels first, then the batch: one ReduceSum over axes [0, 2, 3] was 5x slower.
        const perExampleBias = b.op('ReduceSum', [dz3, b.int64('axes', [2])], `${name}/dbias_n`, [attr.int('keepdims', 0)]);
        ctx.grad(`${name}/bias`, b.op('ReduceSum', [perExampleBias, b.int64('axes', [0])], `${name}/dbias`, [attr.int('keepdims', 0)]));
      }
      if (!needInputGrad) return null;
      if (blocked && sh === 1 && sw === 1 && ci % block! === 0) {
        const flipped = flippedTransposedFilter(b, kernel, `${name}/dx_kernel`);
        const filter = blockedFilter(b, flipped, [ci, co, kh, kw], block!, true, `${name}/dx_kernel`);
        const dxPads = [kh - 1 - pads[0], kw - 1 - pads[1], kh - 1 - pads[2], kw - 1 - pads[3]];
        const dxb = b.op('Conv', [dzAny, filter], `${name}/dx_blocked`, [attr.ints('kernel_shape', [kh, kw]), attr.ints('pads', dxPads)], NCHWC_DOMAIN);
        return x.layout === 'NCHWc' ? dxb : reorderOutput(b, { name: dxb, shape: x.shape, layout: 'NCHWc' }, `${name}/dx`).name;
      }
      const outH = (oh - 1) * sh + kh - pads[0] - pads[2];
      const outW = (ow - 1) * sw + kw - pads[1] - pads[3];
      const dx = b.op('ConvTranspose', [dz, kernel], `${name}/dx`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
        attr.ints('output_padding', [h - outH, w - outW]),
      ]);
      return x.layout === 'NCHWc' ? reorderInput(b, { name: dx, shape: x.shape, layout: 'NCHW' }, `${name}/dx_blocked`).name : dx;
    },
  };
}
