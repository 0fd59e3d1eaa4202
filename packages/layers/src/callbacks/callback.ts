import type { Model } from '../models/model.js';

/** Logs of a step or an epoch: loss and metrics by name (`val_` prefixed for validation). */
export type Logs = Record<string, number>;

/** Hooks `fit` calls. All are optional and may be async. Epochs count from 0, steps from 1. */
export interface Callback {
  setModel?(model: Model): void;
  onTrainBegin?(info: { epochs: number; initialEpoch: number }): void | Promise<void>;
  onEpochBegin?(epoch: number, info: { epochs: number; steps: number | null }): void | Promise<void>;
  onBatchEnd?(step: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /** Training ended with an error (NaN loss, a failing callback, bad data): release what you hold. */
  onTrainAbort?(error: unknown): void;
}

/**
 * Comparison for "improved": Keras's `mode`, with `auto` deciding from the name
 * (max for accuracy/auc/precision/recall, min otherwise).
 *
 * @example
 * ```ts
 * isImprovement('auto', 'val_loss', 0.4, 0.5, 0); // true
 * ```
 */
export function isImprovement(mode: 'auto' | 'min' | 'max', monitor: string, current: number, best: number, minDelta: number): boolean {
  const direction = mode === 'auto' ? (/acc|auc|precision|recall/.test(monitor) ? 'max' : 'min') : mode;
  return direction === 'max' ? current - minDelta > best : current + minDelta < best;
}

export function initialBest(mode: 'auto' | 'min' | 'max', monitor: string): number {
  const direction = mode === 'auto' ? (/acc|auc|precision|recall/.test(monitor) ? 'max' : 'min') : mode;
  return direction === 'max' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}
