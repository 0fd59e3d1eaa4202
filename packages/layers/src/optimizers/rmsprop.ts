import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Optimizer } from './optimizer.js';

export interface RmspropArgs {
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  rho?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Default false. */
  centered?: boolean;
}

/**
 * Keras 3 RMSprop: `v = rho*v + (1-rho)*g²`; `w -= lr*g / sqrt(v + eps)`
 * (Keras 3 adds epsilon inside the square root); centred: `a = rho*a + (1-rho)*g`,
 * denominator `sqrt(v - a² + eps)`; with momentum: `m = momentum*m + increment; w -= m`.
 *
 * @example
 * ```ts
 * new Rmsprop({ learningRate: 1e-3 })
 * ```
 */
export class Rmsprop extends Optimizer {
  readonly className = 'RMSprop' as const;
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RmspropArgs = {}) {
    const r = new ConfigReader('RMSprop', args);
    const lr = r.number('learningRate', 0.001, { min: 0 });
    const rho = r.number('rho', 0.9, { min: 0, max: 1 });
    const momentum = r.number('momentum', 0, { min: 0, max: 1 });
    const epsilon = r.number('epsilon', 1e-7, { min: 0 });
    const centered = r.boolean('centered', false);
    r.done();
    super(lr);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  protected updateStep(path: string, w: tf.Variable, g: tf.Tensor, lr: number): void {
    const v = this.slot(path, 'velocity', w);
    v.assign(tf.add(tf.mul(v, this.rho), tf.mul(tf.square(g), 1 - this.rho)));
    let denominator: tf.Tensor;
    if (this.centered) {
      const a = this.slot(path, 'average_gradient', w);
      a.assign(tf.add(tf.mul(a, this.rho), tf.mul(g, 1 - this.rho)));
      denominator = tf.add(tf.sub(v, tf.square(a)), this.epsilon);
    } else {
      denominator = tf.add(v, this.epsilon);
    }
    const increment = tf.div(tf.mul(g, lr), tf.sqrt(denominator));
    if (this.momentum > 0) {
      const m = this.slot(path, 'momentum', w);
      m.assign(tf.add(tf.mul(m, this.momentum), increment));
      w.assign(tf.sub(w, m));
    } else {
      w.assign(tf.sub(w, increment));
    }
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
