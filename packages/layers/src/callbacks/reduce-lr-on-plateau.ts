import { CnnkitError } from '@cnnkit/tensor-core';
import type { Model } from '../models/model.js';
import { initialBest, isImprovement, type Callback, type Logs } from './callback.js';

export interface ReduceLROnPlateauOptions {
  /** Default `val_loss`. */
  monitor?: string;
  /** New rate = rate * factor. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  mode?: 'auto' | 'min' | 'max';
  /** Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction. Default 0. */
  cooldown?: number;
  /** Default 0. */
  minLr?: number;
}

/**
 * Multiplies the learning rate by `factor` when the monitored value has not
 * improved for `patience` epochs (Keras `ReduceLROnPlateau`).
 *
 * @example
 * ```ts
 * new ReduceLROnPlateau({ factor: 0.5, patience: 2 })
 * ```
 */
export class ReduceLROnPlateau implements Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'auto' | 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  #best = Number.NaN;
  #wait = 0;
  #cooldownLeft = 0;
  #model: Model | null = null;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1 && this.factor >= 0)) throw new CnnkitError('INVALID_ARGUMENT', `ReduceLROnPlateau: expected factor in [0, 1), received ${this.factor}`);
    this.patience = options.patience ?? 10;
    this.mode = options.mode ?? 'auto';
    this.minDelta = options.minDelta ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
  }

  setModel(model: Model): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#best = initialBest(this.mode, this.monitor);
    this.#wait = 0;
    this.#cooldownLeft = 0;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      throw new CnnkitError('UNKNOWN_MONITOR', `ReduceLROnPlateau: monitor "${this.monitor}" is not in the logs; available: ${Object.keys(logs).join(', ')}`);
    }
    const optimizer = this.#model!.compiled!.optimizer;
    if (this.#cooldownLeft > 0) {
      this.#cooldownLeft--;
      this.#wait = 0;
    }
    if (isImprovement(this.mode, this.monitor, current, this.#best, this.minDelta)) {
      this.#best = current;
      this.#wait = 0;
    } else if (this.#cooldownLeft === 0) {
      this.#wait++;
      if (this.#wait >= this.patience && optimizer.learningRate > this.minLr) {
        optimizer.learningRate = Math.max(optimizer.learningRate * this.factor, this.minLr);
        this.#cooldownLeft = this.cooldown;
        this.#wait = 0;
      }
    }
    logs.learning_rate = optimizer.learningRate;
  }
}
