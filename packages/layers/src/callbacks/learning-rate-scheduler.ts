import { CnnkitError } from '@cnnkit/tensor-core';
import type { Model } from '../models/model.js';
import type { Callback } from './callback.js';

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, rate)`
 * (Keras `LearningRateScheduler`; epochs count from 0).
 *
 * @example
 * ```ts
 * new LearningRateScheduler((epoch, lr) => (epoch < 5 ? lr : lr * Math.exp(-0.1)))
 * ```
 */
export class LearningRateScheduler implements Callback {
  #model: Model | null = null;
  constructor(readonly schedule: (epoch: number, learningRate: number) => number) {}

  setModel(model: Model): void {
    this.#model = model;
  }

  onEpochBegin(epoch: number): void {
    const optimizer = this.#model!.compiled!.optimizer;
    const rate = this.schedule(epoch, optimizer.learningRate);
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
      throw new CnnkitError('INVALID_ARGUMENT', `LearningRateScheduler: the schedule returned ${rate} for epoch ${epoch}; expected a finite number >= 0`);
    }
    optimizer.learningRate = rate;
  }
}
