import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Optimizer } from './optimizer.js';

export interface SgdArgs {
  /** Default 0.01. */
  learningRate?: number;
  /** Default 0. */
  momentum?: number;
  /** Default false. */
  nesterov?: boolean;
}

/**
 * Keras 3 SGD: `m = momentum*m - lr*g`; `w += m` (or, Nesterov, `w += momentum*m - lr*g`);
 * without momentum `w -= lr*g`.
 *
 * @example
 * ```ts
 * new Sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })
 * ```
 */
export class Sgd extends Optimizer {
  readonly className = 'SGD' as const;
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SgdArgs = {}) {
    const r = new ConfigReader('SGD', args);
    const lr = r.number('learningRate', 0.01, { min: 0 });
    const momentum = r.number('momentum', 0, { min: 0, max: 1 });
    const nesterov = r.boolean('nesterov', false);
    r.done();
    super(lr);
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  protected updateStep(path: string, w: tf.Variable, g: tf.Tensor, lr: number): void {
    if (this.momentum === 0) {
      w.assign(tf.sub(w, tf.mul(g, lr)));
      return;
    }
    const m = this.slot(path, 'momentum', w);
    m.assign(tf.sub(tf.mul(m, this.momentum), tf.mul(g, lr)));
    if (this.nesterov) w.assign(tf.add(w, tf.sub(tf.mul(m, this.momentum), tf.mul(g, lr))));
    else w.assign(tf.add(w, m));
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}
