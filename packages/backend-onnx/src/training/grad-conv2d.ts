import type { Conv2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { checkActivation, emitActivation, emitActivationGrad } from './activation-grad.js';
import { attr } from './graph-builder.js';
import { tfPads, type LayerLowering, type LoweringContext, type Sym } from './lowering.js';

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
 */
export function lowerConv2d(ctx: LoweringContext, layer: Conv2D, options: { deferRelu?: boolean } = {}): LayerLowering {
  const { b } = ctx;
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
  let x!: Sym;
  let z!: Sym;
  let y!: Sym;
  let pads!: number[];
  return {
    forward(input) {
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: Conv2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, , h, w] = x.shape;
      const ph = tfPads(h, kh, sh, 1, layer.padding);
      const pw = tfPads(w, kw, sw, 1, layer.padding);
      pads = [ph.before, pw.before, ph.after, pw.after];
      const shape = [n, layer.filters, ph.out, pw.out];
      const zName = b.op('Conv', bias === null ? [x.name, kernel] : [x.name, kernel, bias], `${name}/conv`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
      ]);
      z = { name: zName, shape, layout: 'NCHW' };
      y = { name: emitActivation(b, activation, zName, name), shape, layout: 'NCHW' };
      return y;
    },
    head: () => ({ activation, preActivation: z, output: y }),
    backward(dy, needInputGrad, wrt) {
      const dz = wrt === 'preactivation' ? dy : emitActivationGrad(b, activation, y.name, dy, name);
      const [n, ci, h, w] = x.shape;
      const [, co, oh, ow] = z.shape;
      const p = oh * ow;
      const k = ci * kh * kw;
      // Windows: [N, I*kh*kw, oh, ow] -> [N, I*kh*kw, P]; gradient [N, O, P].
      const windows =
        kh === 1 && kw === 1 && sh === 1 && sw === 1 && pads.every((v) => v === 0)
          ? x.name
          : b.op('Conv', [x.name, b.constant(`${name}/onehot`, [k, 1, kh, kw], oneHotWindowKernel(ci, kh, kw))], `${name}/windows`, [
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
      if (bias !== null) ctx.grad(`${name}/bias`, b.op('ReduceSum', [dz, b.int64('axes', [0, 2, 3])], `${name}/dbias`, [attr.int('keepdims', 0)]));
      if (!needInputGrad) return null;
      const outH = (oh - 1) * sh + kh - pads[0] - pads[2];
      const outW = (ow - 1) * sw + kw - pads[1] - pads[3];
      return b.op('ConvTranspose', [dz, kernel], `${name}/dx`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
        attr.ints('output_padding', [h - outH, w - outW]),
      ]);
    },
  };
}
