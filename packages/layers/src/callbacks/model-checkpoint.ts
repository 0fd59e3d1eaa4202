import { CnnkitError } from '@cnnkit/tensor-core';
import { saveCheckpoint } from '../io/checkpoint.js';
import type { ModelMetadata } from '../io/saved-model.js';
import type { Model } from '../models/model.js';
import { initialBest, isImprovement, type Callback, type Logs } from './callback.js';
import { checkCheckpointPath, formatCheckpointPath } from './checkpoint-path.js';

export interface ModelCheckpointOptions {
  /**
   * Checkpoint directory, formatted as Keras formats its path: `{epoch}` is the
   * completed epoch count (1, 2, ...), `{epoch:03d}` zero-pads it (001), and a log key
   * may appear too (`{val_loss:.2f}`), e.g. `run/checkpoints/epoch-{epoch:03d}`.
   */
  path: string;
  /** Default `val_loss`. Used with `saveBestOnly`. */
  monitor?: string;
  mode?: 'auto' | 'min' | 'max';
  /** Only write when the monitored value improved. Default false. */
  saveBestOnly?: boolean;
  /** Written into each checkpoint's model.json (class names, preprocessing). */
  metadata?: ModelMetadata;
}

/**
 * Writes a checkpoint (weights, optimizer state, epoch, RNG streams, history)
 * after each epoch; every file is written atomically (temporary file + rename),
 * so an interrupted run never leaves a half-written checkpoint behind.
 * Resume with `loadCheckpoint` and `fit({ initialEpoch })`.
 *
 * @example
 * ```ts
 * new ModelCheckpoint({ path: 'run/checkpoints/epoch-{epoch:03d}' })
 * ```
 */
export class ModelCheckpoint implements Callback {
  readonly path: string;
  readonly monitor: string;
  readonly mode: 'auto' | 'min' | 'max';
  readonly saveBestOnly: boolean;
  readonly metadata: ModelMetadata | undefined;
  /** Directories written, in order. */
  readonly written: string[] = [];
  #best = Number.NaN;
  #model: Model | null = null;
  #history: Record<string, number[]> = {};

  constructor(options: ModelCheckpointOptions) {
    if (typeof options?.path !== 'string' || options.path.length === 0) {
      throw new CnnkitError('INVALID_ARGUMENT', 'ModelCheckpoint: expected a "path" (directory, may contain {epoch})');
    }
    checkCheckpointPath(options.path, 'ModelCheckpoint');
    this.path = options.path;
    this.monitor = options.monitor ?? 'val_loss';
    this.mode = options.mode ?? 'auto';
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.metadata = options.metadata;
  }

  setModel(model: Model): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#best = initialBest(this.mode, this.monitor);
    this.#history = {};
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const [k, v] of Object.entries(logs)) (this.#history[k] ??= []).push(v);
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        throw new CnnkitError('UNKNOWN_MONITOR', `ModelCheckpoint: monitor "${this.monitor}" is not in the logs; available: ${Object.keys(logs).join(', ')}`);
      }
      if (!isImprovement(this.mode, this.monitor, current, this.#best, 0)) return;
      this.#best = current;
    }
    const dir = formatCheckpointPath(this.path, epoch + 1, logs);
    await saveCheckpoint(this.#model!, dir, { epoch: epoch + 1, history: this.#history, metadata: this.metadata });
    this.written.push(dir);
  }
}
