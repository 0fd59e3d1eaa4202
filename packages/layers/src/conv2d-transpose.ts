import { dilateFilter, tf, type Rng } from '@cnnkit/tensor-core';
import { applyActivation, type ActivationName } from './activations.js';
import { ConfigReader } from './config-reader.js';
import { readConvOptions } from './conv2d.js';
import { INITIALIZER_NAMES, type InitializerName } from './initializers.js';
import { Layer, single, type LayerArgs } from './layer.js';
import { deconvOutputLength, expectImage, type Padding, type Shape } from './shape.js';

export interface Conv2DTransposeArgs extends LayerArgs {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
  dilationRate?: number | [number, number];
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  biasInitializer?: InitializerName;
  seed?: number;
}

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
export class Conv2DTranspose extends Layer {
  readonly className = 'Conv2DTranspose' as const;
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly seed: number | undefined;
  #kernel: tf.Variable | null = null;
  #bias: tf.Variable | null = null;

  constructor(args: Conv2DTransposeArgs) {
    const r = new ConfigReader('Conv2DTranspose', args);
    const base = Layer.readBase(r);
    const filters = r.positiveInt('filters');
    const o = readConvOptions(r);
    const kernelInitializer = r.oneOf('kernelInitializer', INITIALIZER_NAMES, 'glorot_uniform');
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
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
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

  protected override build(shapes: readonly Shape[], rng: Rng): void {
    const inChannels = shapes[0][3] as number;
    const init = this.initRng(this.seed, rng);
    this.#kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, inChannels], this.kernelInitializer, init);
    if (this.useBias) this.#bias = this.addWeight('bias', [this.filters], this.biasInitializer, init);
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
    const kernel = dilateFilter(this.#kernel as tf.Tensor4D, this.dilationRate);
    let y: tf.Tensor = tf.conv2dTranspose(x as tf.Tensor4D, kernel, out, this.strides, this.padding);
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
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
