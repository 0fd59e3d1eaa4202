import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Optimizer } from './optimizer.js';

export interface AdamArgs {
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Default false. */
  amsgrad?: boolean;
}

/**
 * Keras 3 Adam (bias correction folded into the step size):
 * `m += (g - m)(1 - β1)`, `v += (g² - v)(1 - β2)`,
 * `α = lr·sqrt(1 - β2^t)/(1 - β1^t)`, `w -= α·m/(sqrt(v) + ε)`
 * (with amsgrad, `v̂ = max(v̂, v)` replaces v).
 *
 * @example
 * ```ts
 * new Adam({ learningRate: 3e-4 })
 * ```
 */
export class Adam extends Optimizer {
  readonly className: 'Adam' | 'AdamW' = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(args: AdamArgs = {}, owner = 'Adam', reader?: ConfigReader) {
    const r = reader ?? new ConfigReader(owner, args);
    const lr = r.number('learningRate', 0.001, { min: 0 });
    const beta1 = r.number('beta1', 0.9, { min: 0, max: 1, maxExclusive: true });
    const beta2 = r.number('beta2', 0.999, { min: 0, max: 1, maxExclusive: true });
    const epsilon = r.number('epsilon', 1e-7, { min: 0 });
    const amsgrad = r.boolean('amsgrad', false);
    r.done();
    super(lr);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
  }

  protected updateStep(path: string, w: tf.Variable, g: tf.Tensor, lr: number, step: number): void {
    const m = this.slot(path, 'm', w);
    const v = this.slot(path, 'v', w);
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - this.beta1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - this.beta2)));
    let second: tf.Tensor = v;
    if (this.amsgrad) {
      const vHat = this.slot(path, 'v_hat', w);
      vHat.assign(tf.maximum(vHat, v));
      second = vHat;
    }
    w.assign(tf.sub(w, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(second), this.epsilon))));
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
