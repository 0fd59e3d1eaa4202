import { CnnkitError, type RngState } from '@cnnkit/tensor-core';
import { checkEpochProgress, type EpochProgress } from '../training/epoch-progress.js';
import type { LossSpec } from '../losses/losses.js';
import type { OptimizerName } from '../optimizers/optimizer.js';

export const CHECKPOINT_FORMAT = 'cnnkit-checkpoint';
/** Version 2 adds `progress` (a checkpoint written inside an epoch); version 1 files are read as before. */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** training-state.json: everything besides the weights that a resumed run needs. */
export interface TrainingState {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: number;
  /** Epochs completed: pass as `initialEpoch` to continue. */
  epoch: number;
  compile: {
    optimizer: { className: OptimizerName; config: Record<string, unknown> };
    loss: Required<LossSpec>;
    metrics: string[];
  };
  optimizerState: { iterations: number; learningRate: number };
  /** The layers' random streams (dropout), so masks continue where they stopped. */
  rng: Record<string, RngState>;
  /** Per-epoch logs so far. */
  history: Record<string, number[]>;
  /** Written inside epoch `epoch` (0-based, i.e. after `epoch` complete ones): how far it got. */
  progress?: EpochProgress;
}

/** History keys are metric names (`loss`, `val_accuracy`): nothing that reaches a prototype. */
const HISTORY_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Checks a parsed training-state.json field by field, so that what reaches the
 * model, the optimizer and the run's history has the types they expect; a
 * `history` entry of null (a NaN written by JSON) reads back as NaN. Errors
 * (`INVALID_CHECKPOINT`) name the file, the field, what was expected and what came in.
 *
 * @example
 * ```ts
 * const state = checkTrainingState(JSON.parse(text), 'epoch-003/training-state.json');
 * ```
 */
export function checkTrainingState(value: unknown, file: string): TrainingState {
  const fail = (problem: string) => new CnnkitError('INVALID_CHECKPOINT', `${file}: ${problem}`);
  if (!isObject(value) || value.format !== CHECKPOINT_FORMAT) throw fail(`expected "format": "${CHECKPOINT_FORMAT}"`);
  if (value.formatVersion !== 1 && value.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw fail(`unsupported formatVersion ${describe(value.formatVersion)}; this cnnkit reads 1 to ${CHECKPOINT_FORMAT_VERSION}`);
  }
  const { epoch, compile, optimizerState, rng } = value;
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 0) throw fail(`expected "epoch" a non-negative integer, received ${describe(epoch)}`);
  if (!isObject(compile)) throw fail(`expected "compile" { optimizer, loss, metrics }, received ${describe(compile)}`);
  const { optimizer, loss, metrics } = compile;
  if (!isObject(optimizer) || typeof optimizer.className !== 'string' || !isObject(optimizer.config ?? {})) {
    throw fail(`expected "compile.optimizer" { className, config }, received ${describe(optimizer)}`);
  }
  if (typeof loss !== 'string' && !isObject(loss)) throw fail(`expected "compile.loss" a loss name or { name, fromLogits }, received ${describe(loss)}`);
  if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== 'string')) throw fail(`expected "compile.metrics" a list of metric names, received ${describe(metrics)}`);
  if (!isObject(optimizerState) || !Number.isSafeInteger(optimizerState.iterations) || (optimizerState.iterations as number) < 0 || typeof optimizerState.learningRate !== 'number') {
    throw fail(`expected "optimizerState" { iterations (a non-negative integer), learningRate (a number) }, received ${describe(optimizerState)}`);
  }
  if (!isObject(rng)) throw fail(`expected "rng" streams (an object of { s, spareNormal } by layer), received ${describe(rng)}`);
  for (const [name, s] of Object.entries(rng)) {
    const ok =
      isObject(s) &&
      Array.isArray(s.s) &&
      s.s.length === 4 &&
      s.s.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff) &&
      (s.spareNormal === null || typeof s.spareNormal === 'number');
    if (!ok) throw fail(`bad "rng" state of "${name}": expected { s: four uint32 numbers, spareNormal: a number or null }, received ${describe(s)}`);
  }
  const history: Record<string, number[]> = {};
  const h = value.history ?? {};
  if (!isObject(h)) throw fail(`expected "history" an object of metric name to a list of numbers, received ${describe(h)}`);
  for (const [key, values] of Object.entries(h)) {
    if (!HISTORY_KEY.test(key) || key in Object.prototype) throw fail(`expected "history" keys to be metric names (a letter, then letters, digits, "_"), received ${describe(key)}`);
    if (!Array.isArray(values) || values.some((v) => v !== null && typeof v !== 'number')) {
      throw fail(`expected "history.${key}" a list of numbers, received ${describe(values)}`);
    }
    history[key] = values.map((v) => (v === null ? Number.NaN : (v as number)));
  }
  if (value.progress !== undefined) {
    try {
      checkEpochProgress(value.progress as EpochProgress, 'loadCheckpoint');
    } catch (error) {
      throw fail(`bad "progress": ${(error as Error).message}`);
    }
    const progress = value.progress as EpochProgress;
    if (progress.epoch !== epoch) throw fail(`"progress" is for epoch ${progress.epoch} but "epoch" is ${describe(epoch)}`);
  }
  return { ...(value as unknown as TrainingState), history };
}
