import type { Callback, Logs } from './callback.js';

/**
 * Records every epoch's logs (Keras `History`); `fit` always adds one and returns it.
 *
 * @example
 * ```ts
 * const history = await model.fit(data, { epochs: 5 });
 * history.history.val_accuracy; // one value per epoch
 * ```
 */
export class History implements Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  /** Plain JSON for `history.json`. */
  toJSON(): { epoch: number[]; history: Record<string, number[]> } {
    return { epoch: [...this.epoch], history: structuredClone(this.history) };
  }
}
