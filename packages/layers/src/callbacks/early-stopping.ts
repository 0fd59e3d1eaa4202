import { CnnkitError, tf } from '@cnnkit/tensor-core';
import type { Model } from '../models/model.js';
import { initialBest, isImprovement, type Callback, type Logs } from './callback.js';

export interface EarlyStoppingOptions {
  /** Default `val_loss`. */
  monitor?: string;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** Default `auto` (max for accuracy/auc/precision/recall, min otherwise). */
  mode?: 'auto' | 'min' | 'max';
  /** Put back the weights of the best epoch when stopping (or at the end). Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching. Default 0. */
  startFromEpoch?: number;
}

/**
 * Stops training when the monitored value stops improving (Keras `EarlyStopping`).
 *
 * @example
 * ```ts
 * new EarlyStopping({ monitor: 'val_accuracy', patience: 3, restoreBestWeights: true })
 * ```
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'auto' | 'min' | 'max';
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epoch (from 0) training stopped after, or null. */
  stoppedEpoch: number | null = null;
  bestEpoch: number | null = null;
  best = Number.NaN;
  #wait = 0;
  #model: Model | null = null;
  #bestWeights: Map<string, tf.Tensor> | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.mode = options.mode ?? 'auto';
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
  }

  setModel(model: Model): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#wait = 0;
    this.stoppedEpoch = null;
    this.bestEpoch = null;
    this.best = initialBest(this.mode, this.monitor);
    this.#dropBest();
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      throw new CnnkitError('UNKNOWN_MONITOR', `EarlyStopping: monitor "${this.monitor}" is not in the logs; available: ${Object.keys(logs).join(', ')}`);
    }
    if (epoch < this.startFromEpoch) return;
    // Keras's order: count the epoch, reset on improvement, stop once `patience` epochs passed without one.
    this.#wait++;
    if (isImprovement(this.mode, this.monitor, current, this.best, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.#wait = 0;
      if (this.restoreBestWeights) {
        this.#dropBest();
        this.#bestWeights = this.#model!.getWeights();
      }
      return;
    }
    if (this.#wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.#model!.stopTraining = true;
      // As Keras: the best weights come back when training is stopped (not when it simply ends).
      if (this.restoreBestWeights && this.#bestWeights !== null) this.#model!.setWeights(this.#bestWeights, 'EarlyStopping');
    }
  }

  onTrainEnd(): void {
    this.#dropBest();
  }

  onTrainAbort(): void {
    this.#dropBest();
  }

  #dropBest(): void {
    for (const t of this.#bestWeights?.values() ?? []) t.dispose();
    this.#bestWeights = null;
  }
}
