import { tf, type Rng } from '@cnnkit/tensor-core';
import { applyActivation, type ActivationName } from '../activations/activations.js';
import { ConfigReader } from '../utils/config-reader.js';
import { readConvOptions, type ConvLayerArgs } from './conv-layer.js';
import { INITIALIZER_NAMES, type InitializerName } from '../initializers/initializers.js';
import { Layer, shapeMessage, single } from './layer.js';
import { conv2d } from '../ops/fast-conv2d.js';
import { convOutputLength, expectImage, type Padding, type Shape } from '../utils/shape.js';

/** The convolution options of Conv2D (without its kernel initializer) plus the two kernels' initializers. */
export interface SeparableConv2DArgs extends Omit<ConvLayerArgs, 'kernelInitializer'> {
  /** Depthwise channels per input channel. Default 1. */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerName;
  pointwiseInitializer?: InitializerName;
}

/**
 * Depthwise convolution then a 1x1 pointwise convolution (Keras `SeparableConv2D`):
 * weights `depthwise_kernel [kh, kw, in, depthMultiplier]`,
 * `pointwise_kernel [1, 1, in * depthMultiplier, filters]`, `bias [filters]`.
 *
 * @example
 * ```ts
 * new SeparableConv2D({ filters: 32, kernelSize: 3, padding: 'same' })
 * ```
 */
export class SeparableConv2D extends Layer {
  readonly className = 'SeparableConv2D' as const;
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly depthMultiplier: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly depthwiseInitializer: InitializerName;
  readonly pointwiseInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly seed: number | undefined;
  #depthwise: tf.Variable | null = null;
  #pointwise: tf.Variable | null = null;
  #bias: tf.Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    const r = new ConfigReader('SeparableConv2D', args);
    const base = Layer.readBase(r);
    const filters = r.positiveInt('filters');
    const o = readConvOptions(r);
    const depthMultiplier = r.positiveInt('depthMultiplier', 1);
    const depthwiseInitializer = r.oneOf('depthwiseInitializer', INITIALIZER_NAMES, 'glorot_uniform');
    const pointwiseInitializer = r.oneOf('pointwiseInitializer', INITIALIZER_NAMES, 'glorot_uniform');
    const biasInitializer = r.oneOf('biasInitializer', INITIALIZER_NAMES, 'zeros');
    r.done();
    super(base);
    this.filters = filters;
    this.kernelSize = o.kernelSize;
    this.strides = o.strides;
    this.padding = o.padding;
    this.dilationRate = o.dilationRate;
    this.activation = o.activation;
    this.useBias = o.useBias;
    this.seed = o.seed;
    this.depthMultiplier = depthMultiplier;
    this.depthwiseInitializer = depthwiseInitializer;
    this.pointwiseInitializer = pointwiseInitializer;
    this.biasInitializer = biasInitializer;
  }

  static fromConfig(config: Record<string, unknown>): SeparableConv2D {
    return new SeparableConv2D(config as unknown as SeparableConv2DArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const [n, h, w] = expectImage(this.label, single(this, shapes));
    const oh = convOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0])!;
    const ow = convOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1])!;
    if (oh < 1 || ow < 1) {
      throw shapeMessage(this, `an input at least as large as the (dilated) ${this.kernelSize[0]}x${this.kernelSize[1]} kernel with padding "valid"`, shapes[0]);
    }
    return [n, oh, ow, this.filters];
  }

  protected override build(shapes: readonly Shape[], rng: Rng): void {
    const inChannels = shapes[0][3] as number;
    const init = this.initRng(this.seed, rng);
    this.#depthwise = this.addWeight('depthwise_kernel', [...this.kernelSize, inChannels, this.depthMultiplier], this.depthwiseInitializer, init);
    this.#pointwise = this.addWeight('pointwise_kernel', [1, 1, inChannels * this.depthMultiplier, this.filters], this.pointwiseInitializer, init);
    if (this.useBias) this.#bias = this.addWeight('bias', [this.filters], this.biasInitializer, init);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    const depthwise = tf.depthwiseConv2d(x as tf.Tensor4D, this.#depthwise as tf.Tensor4D, this.strides, this.padding, 'NHWC', this.dilationRate);
    let y: tf.Tensor = conv2d(depthwise, this.#pointwise as tf.Tensor4D, [1, 1], 'valid', [1, 1]);
    if (this.#bias !== null) y = tf.add(y, this.#bias);
    return applyActivation(this.activation, y);
  }

  getConfig(): Record<string, unknown> {
    return {
      ...this.baseConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      depthMultiplier: this.depthMultiplier,
      activation: this.activation,
      useBias: this.useBias,
      depthwiseInitializer: this.depthwiseInitializer,
      pointwiseInitializer: this.pointwiseInitializer,
      biasInitializer: this.biasInitializer,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
