import { tf } from '@cnnkit/tensor-core';
import { applyActivation, type ActivationName } from '../activations/activations.js';
import { ConvLayer, type ConvLayerArgs } from './conv-layer.js';
import { shapeMessage, single } from './layer.js';
import { conv2d } from '../ops/fast-conv2d.js';
import { convOutputLength, expectImage, type Shape } from '../utils/shape.js';

/** Keras activations that tfjs's fused convolution computes identically (others run as separate ops). */
const FUSED_ACTIVATIONS: Partial<Record<ActivationName, 'linear' | 'relu' | 'sigmoid' | 'elu'>> = { linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', elu: 'elu' };

/** Conv2D's arguments (Keras names and defaults). */
export type Conv2DArgs = ConvLayerArgs;

/**
 * 2-D convolution over NHWC images (Keras `Conv2D`): kernel `[kh, kw, in, filters]`.
 *
 * @example
 * ```ts
 * new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' })
 * ```
 */
export class Conv2D extends ConvLayer {
  readonly className = 'Conv2D' as const;

  constructor(args: Conv2DArgs) {
    super('Conv2D', args);
  }

  static fromConfig(config: Record<string, unknown>): Conv2D {
    return new Conv2D(config as unknown as Conv2DArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const [n, h, w] = expectImage(this.label, single(this, shapes));
    const oh = convOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0])!;
    const ow = convOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1])!;
    if (oh < 1 || ow < 1) {
      const kh = (this.kernelSize[0] - 1) * this.dilationRate[0] + 1;
      const kw = (this.kernelSize[1] - 1) * this.dilationRate[1] + 1;
      throw shapeMessage(this, `an input of at least ${kh}x${kw} pixels for a ${kh}x${kw} (dilated) kernel with padding "valid"`, shapes[0]);
    }
    return [n, oh, ow, this.filters];
  }

  protected kernelShape(inChannels: number): number[] {
    return [...this.kernelSize, inChannels, this.filters];
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    const fused = FUSED_ACTIVATIONS[this.activation];
    // Outside gradient recording (predict, evaluate) one fused kernel does convolution, bias
    // and activation (XNNPACK on wasm): two fewer passes over the output, as tfjs-layers does.
    // Recording gradients, the separate ops keep tensor-core's checked gradients.
    if (fused !== undefined && tf.engine().state.gradientDepth === 0) {
      return tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: this.kernel as tf.Tensor4D,
        strides: this.strides,
        pad: this.padding,
        dataFormat: 'NHWC',
        dilations: this.dilationRate,
        bias: this.bias ?? undefined,
        activation: fused,
      });
    }
    let y: tf.Tensor = conv2d(x as tf.Tensor4D, this.kernel as tf.Tensor4D, this.strides, this.padding, this.dilationRate);
    if (this.bias !== null) y = tf.add(y, this.bias);
    return applyActivation(this.activation, y);
  }
}
