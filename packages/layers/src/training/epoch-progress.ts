import { CnnkitError } from '@cnnkit/tensor-core';

/**
 * Where an epoch stands after `step` of its batches: what a checkpoint written inside
 * the epoch needs (besides weights, optimizer and streams) to finish it as the
 * uninterrupted run would, with the same averaged loss and metrics.
 */
export interface EpochProgress {
  /** The epoch being trained, counted from 0 (as `initialEpoch`). */
  epoch: number;
  /** Batches of that epoch already trained. */
  step: number;
  /** Sum of batch loss times batch size so far, and the examples seen. */
  lossSum: number;
  seen: number;
  /** `Metric.getState()` of each metric, per output (as `CompiledState.metrics`). */
  metrics: number[][][];
}

/**
 * When `fit` writes backups inside an epoch (Keras's `BackupAndRestore(save_freq=...)`):
 * after every `everySteps` steps, and/or once `everyMs` milliseconds passed since the
 * last one; and when `FitOptions.signal` stops training.
 */
export interface BackupOptions {
  everySteps?: number;
  everyMs?: number;
  /** Writes the backup: the model holds the weights of `progress.step` steps into the epoch. */
  save(progress: EpochProgress): Promise<void>;
}

/** Checks a progress record read from a checkpoint before `fit` trusts it. */
export function checkEpochProgress(p: EpochProgress, operation: string): EpochProgress {
  const ok =
    p !== null &&
    typeof p === 'object' &&
    Number.isInteger(p.epoch) &&
    p.epoch >= 0 &&
    Number.isInteger(p.step) &&
    p.step >= 0 &&
    typeof p.lossSum === 'number' &&
    typeof p.seen === 'number' &&
    Array.isArray(p.metrics);
  if (!ok) throw new CnnkitError('INVALID_ARGUMENT', `${operation}: expected epoch progress { epoch, step, lossSum, seen, metrics }, received ${JSON.stringify(p)}`);
  return p;
}
