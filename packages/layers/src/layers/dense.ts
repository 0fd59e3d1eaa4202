import { tf, type Rng } from '@cnnkit/tensor-core';
import { ACTIVATION_NAMES, applyActivation, type ActivationName } from '../activations/activations.js';
import { ConfigReader } from '../utils/config-reader.js';
import { INITIALIZER_NAMES, type InitializerName } from '../initializers/initializers.js';
import { Layer, shapeMessage, single, type LayerArgs } from './layer.js';
import type { Shape } from '../utils/shape.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  /** Default `linear`. */
  activation?: ActivationName;
  /** Default true. */
  useBias?: boolean;
  /** Default `glorot_uniform`. */
  kernelInitializer?: InitializerName;
  /** Default `zeros`. */
  biasInitializer?: InitializerName;
  seed?: number;
}

/**
 * Fully connected layer on the last axis (Keras `Dense`): kernel `[in, units]`.
 *
 * @example
 * ```ts
 * new Dense({ units: 1, activation: 'sigmoid' })
 * ```
 */
export class Dense extends Layer {
  readonly className = 'Dense' as const;
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly seed: number | undefined;
  #kernel: tf.Variable | null = null;
  #bias: tf.Variable | null = null;

  constructor(args: DenseArgs) {
    const r = new ConfigReader('Dense', args);
    const base = Layer.readBase(r);
    const units = r.positiveInt('units');
    const activation = r.oneOf('activation', ACTIVATION_NAMES, 'linear');
    const useBias = r.boolean('useBias', true);
    const kernelInitializer = r.oneOf('kernelInitializer', INITIALIZER_NAMES, 'glorot_uniform');
    const biasInitializer = r.oneOf('biasInitializer', INITIALIZER_NAMES, 'zeros');
    const seed = r.optionalNumber('seed');
    r.done();
    super(base);
    this.units = units;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
    this.seed = seed;
  }

  static fromConfig(config: Record<string, unknown>): Dense {
    return new Dense(config as unknown as DenseArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const shape = single(this, shapes);
    if (shape.length < 2 || shape[shape.length - 1] === null) {
      throw shapeMessage(this, 'an input of rank >= 2 with a known last dimension, e.g. (None, features)', shape);
    }
    return [...shape.slice(0, -1), this.units];
  }

  protected override build(shapes: readonly Shape[], rng: Rng): void {
    const inputDim = shapes[0][shapes[0].length - 1] as number;
    const init = this.initRng(this.seed, rng);
    this.#kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer, init);
    if (this.useBias) this.#bias = this.addWeight('bias', [this.units], this.biasInitializer, init);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    const kernel = this.#kernel!;
    // matMul works on rank 2; higher ranks are flattened and restored around it.
    const flat = x.rank === 2 ? x : tf.reshape(x, [-1, kernel.shape[0]]);
    let y: tf.Tensor = tf.matMul(flat as tf.Tensor2D, kernel as tf.Tensor2D);
    if (this.#bias !== null) y = tf.add(y, this.#bias);
    if (x.rank !== 2) y = tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    return applyActivation(this.activation, y);
  }

  getConfig(): Record<string, unknown> {
    return {
      ...this.baseConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
