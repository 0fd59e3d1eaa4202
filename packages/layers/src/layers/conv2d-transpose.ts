import { dilateFilter, tf } from '@cnnkit/tensor-core';
import { applyActivation } from '../activations/activations.js';
import { ConvLayer, type ConvLayerArgs } from './conv-layer.js';
import { single } from './layer.js';
import { deconvOutputLength, expectImage, type Shape } from '../utils/shape.js';

/** Conv2DTranspose's arguments (Keras names and defaults, no output padding). */
export type Conv2DTransposeArgs = ConvLayerArgs;

/**
 * Transposed convolution (Keras `Conv2DTranspose`), kernel `[kh, kw, filters, in]`.
 * Output size per axis: `same` → `in * stride`; `valid` → `(in - 1) * stride + k`
 * (k the dilated kernel size), Keras's rule without output padding.
 *
 * @example
 * ```ts
 * new Conv2DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }) // doubles H and W
 * ```
 */
export class Conv2DTranspose extends ConvLayer {
  readonly className = 'Conv2DTranspose' as const;

  constructor(args: Conv2DTransposeArgs) {
    super('Conv2DTranspose', args);
  }

  static fromConfig(config: Record<string, unknown>): Conv2DTranspose {
    return new Conv2DTranspose(config as unknown as Conv2DTransposeArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const [n, h, w] = expectImage(this.label, single(this, shapes));
    return [
      n,
      deconvOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
      deconvOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1]),
      this.filters,
    ];
  }

  protected kernelShape(inChannels: number): number[] {
    return [...this.kernelSize, this.filters, inChannels];
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    const [n, h, w] = x.shape as number[];
    const out: [number, number, number, number] = [
      n,
      deconvOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0])!,
      deconvOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1])!,
      this.filters,
    ];
    // tfjs's conv2dTranspose has no dilation argument: a zero-dilated kernel is the same operator.
    const kernel = dilateFilter(this.kernel as tf.Tensor4D, this.dilationRate);
    let y: tf.Tensor = tf.conv2dTranspose(x as tf.Tensor4D, kernel, out, this.strides, this.padding);
    if (this.bias !== null) y = tf.add(y, this.bias);
    return applyActivation(this.activation, y);
  }
}
