import type { MaxPooling2D } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr } from './graph-builder.js';
import { count, tfPads, type LayerLowering, type LoweringContext, type Sym } from './lowering.js';

/**
 * MaxPooling2D: forward `MaxPool` with its `Indices` output; backward routes each
 * output gradient to the one position MaxPool chose (the first maximum in row-major
 * order, TensorFlow's tie rule), so ties are exact. Non-overlapping windows use
 * MaxUnpool; overlapping ones (stride < pool) must add, so they scatter with
 * ScatterElements(reduction = add) into the flattened input.
 *
 * `reluFirst` (the Conv2D before has a deferred ReLU): `maxpool(relu(z)) = relu(maxpool(z))`,
 * and the gradients agree too, ties included — where a window's maximum is positive
 * both pick the same first maximum; where it is <= 0 both gradients are zero (TF's
 * ReLU gradient is 0 at 0). So the ReLU and its Where run on the pooled tensor, a
 * quarter of the size, and the convolution stays a plain Conv.
 */
export function lowerMaxPooling2d(ctx: LoweringContext, layer: MaxPooling2D, options: { reluFirst?: boolean } = {}): LayerLowering {
  const { b } = ctx;
  const name = layer.name!;
  const [kh, kw] = layer.poolSize;
  const [sh, sw] = layer.strides;
  let x!: Sym;
  let y!: Sym;
  let indices!: string;
  let pads!: number[];
  return {
    forward(input) {
      if (input.layout !== 'NCHW') throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: MaxPooling2D "${name}" expected an image input, received shape [${input.shape}]`);
      x = input;
      const [n, c, h, w] = x.shape;
      const ph = tfPads(h, kh, sh, 1, layer.padding);
      const pw = tfPads(w, kw, sw, 1, layer.padding);
      pads = [ph.before, pw.before, ph.after, pw.after];
      const [out, idx] = b.opN('MaxPool', [x.name], [`${name}/maxpool`, `${name}/indices`], [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', [sh, sw]),
        attr.ints('pads', pads),
      ]);
      indices = idx;
      y = { name: options.reluFirst === true ? b.op('Relu', [out], `${name}/relu`) : out, shape: [n, c, ph.out, pw.out], layout: 'NCHW' };
      return y;
    },
    backward(dyOut, needInputGrad) {
      if (!needInputGrad) return null;
      const dy = options.reluFirst === true ? b.op('Where', [b.op('Greater', [y.name, b.scalar(0)], `${name}/relu_mask`), dyOut, b.scalar(0)], `${name}/drelu`) : dyOut;
      if (sh >= kh && sw >= kw) {
        return b.op('MaxUnpool', [dy, indices, b.int64('output_shape', x.shape)], `${name}/dx`, [
          attr.ints('kernel_shape', [kh, kw]),
          attr.ints('strides', [sh, sw]),
          attr.ints('pads', pads),
        ]);
      }
      const flatIdx = b.op('Reshape', [indices, b.int64('shape', [-1])], `${name}/idx_flat`);
      const flatDy = b.op('Reshape', [dy, b.int64('shape', [-1])], `${name}/dy_flat`);
      const zeros = b.constant(`${name}/zeros`, [count(x.shape)], new Float32Array(count(x.shape)));
      const scattered = b.op('ScatterElements', [zeros, flatIdx, flatDy], `${name}/scatter`, [attr.int('axis', 0), attr.string('reduction', 'add')]);
      return b.op('Reshape', [scattered, b.int64('shape', x.shape)], `${name}/dx`);
    },
  };
}
