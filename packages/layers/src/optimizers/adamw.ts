import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Adam, type AdamArgs } from './adam.js';

export interface AdamWArgs extends AdamArgs {
  /** Decoupled weight decay. Default 0.004 (Keras 3). */
  weightDecay?: number;
}

/**
 * Keras 3 AdamW: `w -= lr·wd·w` (decoupled decay, applied to every trainable
 * weight before the step), then the Adam update.
 *
 * @example
 * ```ts
 * new AdamW({ learningRate: 1e-3, weightDecay: 0.01 })
 * ```
 */
export class AdamW extends Adam {
  override readonly className = 'AdamW' as const;
  readonly weightDecay: number;

  constructor(args: AdamWArgs = {}) {
    const r = new ConfigReader('AdamW', args);
    const weightDecay = r.number('weightDecay', 0.004, { min: 0 });
    super(args, 'AdamW', r);
    this.weightDecay = weightDecay;
  }

  protected override updateStep(path: string, w: tf.Variable, g: tf.Tensor, lr: number, step: number): void {
    w.assign(tf.sub(w, tf.mul(w, lr * this.weightDecay)));
    super.updateStep(path, w, g, lr, step);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}
