import { tf, type Rng } from '@cnnkit/tensor-core';
import { ACTIVATION_NAMES, type ActivationName } from '../activations/activations.js';
import { ConfigReader } from '../utils/config-reader.js';
import { INITIALIZER_NAMES, type InitializerName } from '../initializers/initializers.js';
import { Layer, type LayerArgs } from './layer.js';
import type { Padding, Shape } from '../utils/shape.js';

/** The arguments of Conv2D and Conv2DTranspose (Keras names and defaults). */
export interface ConvLayerArgs extends LayerArgs {
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

/** Options shared by the convolution layers (SeparableConv2D too), read and checked the same way. */
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
 * What Conv2D and Conv2DTranspose share: their options, config, kernel and bias. A
 * subclass says how its kernel is laid out and computes its output.
 */
export abstract class ConvLayer extends Layer {
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
  protected kernel: tf.Variable | null = null;
  protected bias: tf.Variable | null = null;

  protected constructor(className: string, args: ConvLayerArgs) {
    const r = new ConfigReader(className, args);
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

  /** The kernel's shape for an input with `inChannels` channels. */
  protected abstract kernelShape(inChannels: number): number[];

  protected override build(shapes: readonly Shape[], rng: Rng): void {
    const init = this.initRng(this.seed, rng);
    this.kernel = this.addWeight('kernel', this.kernelShape(shapes[0][3] as number), this.kernelInitializer, init);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, init);
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
