import { tf, type Rng } from '@cnnkit/tensor-core';
import { ACTIVATION_NAMES, applyActivation, type ActivationName } from './activations.js';
import { ConfigReader } from './config-reader.js';
import { INITIALIZER_NAMES, type InitializerName } from './initializers.js';
import { Layer, shapeMessage, single, type LayerArgs } from './layer.js';
import { conv2d } from './fast-conv2d.js';
import { convOutputLength, expectImage, type Padding, type Shape } from './shape.js';

/** Keras activations that tfjs's fused convolution computes identically (others run as separate ops). */
const FUSED_ACTIVATIONS: Partial<Record<ActivationName, 'linear' | 'relu' | 'sigmoid' | 'elu'>> = { linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', elu: 'elu' };

export interface Conv2DArgs extends LayerArgs {
  filters: number;
  kernelSize: number | [number, number];
  /** Default 1. */
  strides?: number | [number, number];
  /** Default `valid`. `same` pads like TensorFlow (the extra row/column at the end). */
  padding?: Padding;
  /** Default 1. Cannot be combined with strides > 1 (as in TensorFlow). */
  dilationRate?: number | [number, number];
  /** Default `linear`. */
  activation?: ActivationName;
  /** Default true. */
  useBias?: boolean;
  /** Default `glorot_uniform`. */
  kernelInitializer?: InitializerName;
  /** Default `zeros`. */
  biasInitializer?: InitializerName;
  /** Seed of the kernel initializer; by default the model's seed and the layer name decide. */
  seed?: number;
}

/** Options shared by the convolution layers, read and checked the same way. */
export function readConvOptions(r: ConfigReader) {
  const strides = r.pair('strides', 1);
  const dilationRate = r.pair('dilationRate', 1);
  if ((strides[0] > 1 || strides[1] > 1) && (dilationRate[0] > 1 || dilationRate[1] > 1)) {
    throw r.error(`expected strides 1 when dilationRate > 1 (TensorFlow allows only one of them), received strides [${strides}] and dilationRate [${dilationRate}]`);
  }
  return {
    kernelSize: r.pair('kernelSize'),
    strides,
    padding: r.oneOf('padding', ['valid', 'same'] as const, 'valid'),
    dilationRate,
    activation: r.oneOf('activation', ACTIVATION_NAMES, 'linear'),
    useBias: r.boolean('useBias', true),
    seed: r.optionalNumber('seed'),
  };
}

/**
 * 2-D convolution over NHWC images (Keras `Conv2D`): kernel `[kh, kw, in, filters]`.
 *
 * @example
 * ```ts
 * new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' })
 * ```
 */
export class Conv2D extends Layer {
  readonly className = 'Conv2D' as const;
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

  constructor(args: Conv2DArgs) {
    const r = new ConfigReader('Conv2D', args);
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

  protected override build(shapes: readonly Shape[], rng: Rng): void {
    const inChannels = shapes[0][3] as number;
    const init = this.initRng(this.seed, rng);
    this.#kernel = this.addWeight('kernel', [...this.kernelSize, inChannels, this.filters], this.kernelInitializer, init);
    if (this.useBias) this.#bias = this.addWeight('bias', [this.filters], this.biasInitializer, init);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    const fused = FUSED_ACTIVATIONS[this.activation];
    // Outside gradient recording (predict, evaluate) one fused kernel does convolution, bias
    // and activation (XNNPACK on wasm): two fewer passes over the output, as tfjs-layers does.
    // Recording gradients, the separate ops keep tensor-core's checked gradients.
    if (fused !== undefined && tf.engine().state.gradientDepth === 0) {
      return tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: this.#kernel as tf.Tensor4D,
        strides: this.strides,
        pad: this.padding,
        dataFormat: 'NHWC',
        dilations: this.dilationRate,
        bias: this.#bias ?? undefined,
        activation: fused,
      });
    }
    let y: tf.Tensor = conv2d(x as tf.Tensor4D, this.#kernel as tf.Tensor4D, this.strides, this.padding, this.dilationRate);
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
