import { tf, type Rng } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { INITIALIZER_NAMES, type InitializerName } from '../initializers/initializers.js';
import { Layer, shapeMessage, single, type CallContext, type LayerArgs } from './layer.js';
import type { Shape } from '../utils/shape.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis. Default -1 (channels last). */
  axis?: number;
  /** Moving-average momentum. Default 0.99. */
  momentum?: number;
  /** Added to the variance. Default 1e-3. */
  epsilon?: number;
  /** Learn an offset `beta`. Default true. */
  center?: boolean;
  /** Learn a scale `gamma`. Default true. */
  scale?: boolean;
  betaInitializer?: InitializerName;
  gammaInitializer?: InitializerName;
  movingMeanInitializer?: InitializerName;
  movingVarianceInitializer?: InitializerName;
}

/**
 * Keras 3 `BatchNormalization`. Training: normalises with the batch mean and the
 * biased batch variance, and moves `moving_mean`/`moving_variance` towards them
 * (`moving = moving * momentum + batch * (1 - momentum)`, biased variance as in
 * Keras 3). Inference — or a frozen layer (`trainable: false`), as in Keras 3 —
 * uses the moving statistics.
 *
 * @example
 * ```ts
 * new BatchNormalization()
 * ```
 */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization' as const;
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: InitializerName;
  readonly gammaInitializer: InitializerName;
  readonly movingMeanInitializer: InitializerName;
  readonly movingVarianceInitializer: InitializerName;
  #gamma: tf.Variable | null = null;
  #beta: tf.Variable | null = null;
  #movingMean: tf.Variable | null = null;
  #movingVariance: tf.Variable | null = null;
  #rank = 0;
  #featureAxis = 0;

  constructor(args: BatchNormalizationArgs = {}) {
    const r = new ConfigReader('BatchNormalization', args);
    const base = Layer.readBase(r);
    const axis = r.integer('axis', -1);
    const momentum = r.number('momentum', 0.99, { min: 0, max: 1 });
    const epsilon = r.number('epsilon', 1e-3, { min: 0, minExclusive: true });
    const center = r.boolean('center', true);
    const scale = r.boolean('scale', true);
    const betaInitializer = r.oneOf('betaInitializer', INITIALIZER_NAMES, 'zeros');
    const gammaInitializer = r.oneOf('gammaInitializer', INITIALIZER_NAMES, 'ones');
    const movingMeanInitializer = r.oneOf('movingMeanInitializer', INITIALIZER_NAMES, 'zeros');
    const movingVarianceInitializer = r.oneOf('movingVarianceInitializer', INITIALIZER_NAMES, 'ones');
    r.done();
    super(base);
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.betaInitializer = betaInitializer;
    this.gammaInitializer = gammaInitializer;
    this.movingMeanInitializer = movingMeanInitializer;
    this.movingVarianceInitializer = movingVarianceInitializer;
  }

  static fromConfig(config: Record<string, unknown>): BatchNormalization {
    return new BatchNormalization(config as BatchNormalizationArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const shape = single(this, shapes);
    const axis = this.axis < 0 ? shape.length + this.axis : this.axis;
    if (shape.length < 2 || axis < 1 || axis >= shape.length || shape[axis] === null) {
      throw shapeMessage(this, `an input of rank >= 2 with a known size on feature axis ${this.axis}`, shape);
    }
    return shape;
  }

  protected override build(shapes: readonly Shape[], rng: Rng): void {
    const shape = shapes[0];
    this.#rank = shape.length;
    this.#featureAxis = this.axis < 0 ? shape.length + this.axis : this.axis;
    const c = shape[this.#featureAxis] as number;
    if (this.scale) this.#gamma = this.addWeight('gamma', [c], this.gammaInitializer, rng);
    if (this.center) this.#beta = this.addWeight('beta', [c], this.betaInitializer, rng);
    this.#movingMean = this.addWeight('moving_mean', [c], this.movingMeanInitializer, rng, false);
    this.#movingVariance = this.addWeight('moving_variance', [c], this.movingVarianceInitializer, rng, false);
  }

  /** Reshapes a per-feature vector so it broadcasts along the feature axis. */
  #broadcast(v: tf.Tensor): tf.Tensor {
    if (this.#featureAxis === this.#rank - 1) return v;
    const shape = new Array<number>(this.#rank).fill(1);
    shape[this.#featureAxis] = v.size;
    return tf.reshape(v, shape);
  }

  call([x]: readonly tf.Tensor[], ctx: CallContext): tf.Tensor {
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (ctx.training && this.trainable) {
      const axes = Array.from({ length: this.#rank }, (_, i) => i).filter((i) => i !== this.#featureAxis);
      mean = tf.mean(x, axes, true);
      variance = tf.mean(tf.squaredDifference(x, mean), axes, true);
      const m = this.momentum;
      const batchMean = tf.reshape(mean, [-1]);
      const batchVariance = tf.reshape(variance, [-1]);
      // Statistics are not weights of the loss: their update is not differentiated.
      const newMean = tf.add(tf.mul(this.#movingMean!, m), tf.mul(batchMean, 1 - m));
      const newVariance = tf.add(tf.mul(this.#movingVariance!, m), tf.mul(batchVariance, 1 - m));
      this.#movingMean!.assign(newMean);
      this.#movingVariance!.assign(newVariance);
    } else {
      mean = this.#broadcast(this.#movingMean!);
      variance = this.#broadcast(this.#movingVariance!);
    }
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    if (this.#gamma !== null) y = tf.mul(y, this.#broadcast(this.#gamma));
    if (this.#beta !== null) y = tf.add(y, this.#broadcast(this.#beta));
    return y;
  }

  getConfig(): Record<string, unknown> {
    return {
      ...this.baseConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer,
      gammaInitializer: this.gammaInitializer,
      movingMeanInitializer: this.movingMeanInitializer,
      movingVarianceInitializer: this.movingVarianceInitializer,
    };
  }
}
