import type { AveragePooling2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import { tfPads, type LayerLowering, type LoweringContext, type Sym } from './lowering.js';

/**
 * How many real (not padded) pixels each output window covers, `[oh * ow]`:
 * TensorFlow's `same` average excludes the padding from the divisor.
 */
export function windowCounts(h: number, w: number, kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number, oh: number, ow: number): Float32Array {
  const out = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    const rows = Math.min(i * sh - padTop + kh, h) - Math.max(i * sh - padTop, 0);
    for (let j = 0; j < ow; j++) {
      const cols = Math.min(j * sw - padLeft + kw, w) - Math.max(j * sw - padLeft, 0);
      out[i * ow + j] = rows * cols;
    }
  }
  return out;
}

/**
 * AveragePooling2D: forward `AveragePool` (padding excluded from the count, as TF);
 * backward divides the output gradient by each window's count and spreads it with a
 * per-channel (grouped) ConvTranspose whose kernel is all ones — exact for overlapping
 * windows and asymmetric pads.
 */
export function lowerAveragePooling2d(ctx: LoweringContext, layer: AveragePooling2D): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const [kh, kw] = layer.poolSize;
  const [sh, sw] = layer.strides;
  let x!: Sym;
  let y!: Sym;
  let pads!: number[];
  return {
    forward(input) {
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: AveragePooling2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, c, h, w] = x.shape;
      const ph = tfPads(h, kh, sh, 1, layer.padding);
      const pw = tfPads(w, kw, sw, 1, layer.padding);
      pads = [ph.before, pw.before, ph.after, pw.after];
      const out = b.op('AveragePool', [x.name], `${name}/avgpool`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
        attr.int('count_include_pad', 0),
      ]);
      y = { name: out, shape: [n, c, ph.out, pw.out], layout: 'NCHW' };
      return y;
    },
    backward(dy, needInputGrad) {
      if (!needInputGrad) return null;
      const [, c, h, w] = x.shape;
      const [, , oh, ow] = y.shape;
      const counts = windowCounts(h, w, kh, kw, sh, sw, pads[0], pads[1], oh, ow).map((v) => 1 / v);
      const scaled = b.op('Mul', [dy, b.constant(`${name}/inv_count`, [1, 1, oh, ow], counts)], `${name}/dy_scaled`);
      const outH = (oh - 1) * sh + kh - pads[0] - pads[2];
      const outW = (ow - 1) * sw + kw - pads[1] - pads[3];
      return b.op('ConvTranspose', [scaled, b.constant(`${name}/ones`, [c, 1, kh, kw], new Float32Array(c * kh * kw).fill(1))], `${name}/dx`, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
        attr.ints('output_padding', [h - outH, w - outW]),
        attr.int('group', c),
      ]);
    },
  };
}
