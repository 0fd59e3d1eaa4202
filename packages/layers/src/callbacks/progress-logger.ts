import cliProgress from 'cli-progress';
import type { Model } from '../models/model.js';
import type { Callback, Logs } from './callback.js';

export interface ProgressLoggerOptions {
  /** Default `process.stderr` (stdout stays free for `--json` output). */
  stream?: NodeJS.WritableStream;
  /** Bar width in characters. Default 20 (as Keras). */
  width?: number;
}

/** `1.5` s → `2s`, `75` → `1m 15s`, the way Keras shows times. */
function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
}

/** ` - accuracy: 0.9062 - loss: 0.2546`, names sorted as Keras prints them. */
export function formatLogs(logs: Logs): string {
  return Object.keys(logs)
    .filter((k) => k !== 'learning_rate')
    .sort()
    .map((k) => ` - ${k}: ${logs[k].toFixed(4)}`)
    .join('');
}

/**
 * Keras-like progress: an `Epoch i/n` line, then a bar per epoch with the step
 * count, ETA (elapsed time once done), time per step, loss and metrics.
 * On a terminal, rendering, throttling and cursor handling come from
 * `cli-progress`; on any other stream (CI logs, files, pipes) a redrawn bar
 * would be noise, so it writes one plain line per epoch when the epoch ends.
 *
 * @example
 * ```ts
 * await model.fit(data, { epochs: 3, verbose: 0, callbacks: [new ProgressLogger({ stream: process.stdout })] });
 * ```
 */
export class ProgressLogger implements Callback {
  readonly #stream: NodeJS.WritableStream;
  readonly #width: number;
  #bar: cliProgress.SingleBar | null = null;
  #epochs = 0;
  #logs: Logs = {};
  #done = false;
  #step = 0;
  #steps = 0;
  #started = 0;

  constructor(options: ProgressLoggerOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#width = options.width ?? 20;
  }

  setModel(_model: Model): void {}

  onTrainBegin(info: { epochs: number }): void {
    this.#epochs = info.epochs;
  }

  onEpochBegin(epoch: number, info: { steps: number | null }): void {
    this.#stream.write(`Epoch ${epoch + 1}/${this.#epochs}\n`);
    this.#logs = {};
    this.#done = false;
    this.#step = 0;
    this.#steps = info.steps ?? 0;
    this.#started = Date.now();
    if ((this.#stream as { isTTY?: boolean }).isTTY !== true) return;
    this.#bar = new cliProgress.SingleBar({
      stream: this.#stream as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      // A SIGINT listener would stop Ctrl-C from ending the process; the cursor is restored in stop().
      gracefulExit: false,
      format: (_options, params) => this.#format(params.value, params.total, params.startTime),
    });
    this.#bar.start(info.steps ?? 0, 0);
  }

  #format(value: number, total: number, startTime: number): string {
    const elapsed = (Date.now() - startTime) / 1000;
    const perStep = value > 0 ? (elapsed * 1000) / value : 0;
    const known = total > 0;
    const filled = known ? Math.min(this.#width, Math.round((value / total) * this.#width)) : 0;
    const bar = known ? `${'━'.repeat(filled)}${' '.repeat(this.#width - filled)} ` : '';
    const time = this.#done || !known ? formatSeconds(elapsed) : formatSeconds(value > 0 ? ((total - value) * perStep) / 1000 : Number.NaN);
    return `${value}/${known ? total : 'Unknown'} ${bar}${time} ${Math.round(perStep)}ms/step${formatLogs(this.#logs)}`;
  }

  onBatchEnd(step: number, logs: Logs): void {
    this.#logs = logs;
    this.#step = step;
    // A source that yields more batches than announced: grow the bar.
    if (this.#bar !== null && this.#bar.getTotal() > 0 && step > this.#bar.getTotal()) this.#bar.setTotal(step);
    this.#bar?.update(step);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.#logs = logs;
    this.#done = true;
    if (this.#bar !== null) {
      // The step count of an unsized source is known now.
      if (this.#bar.getTotal() === 0) this.#bar.setTotal(this.#step);
      this.#bar.update(this.#step);
      this.#bar.stop(); // renders the final state and ends the line
    } else {
      this.#stream.write(`${this.#format(this.#step, this.#steps > 0 ? Math.max(this.#steps, this.#step) : this.#step, this.#started)}\n`);
    }
    this.#bar = null;
  }

  onTrainEnd(): void {
    this.#bar?.stop();
    this.#bar = null;
  }

  /** Stops a live bar (its timer would keep the process alive). */
  onTrainAbort(): void {
    this.onTrainEnd();
  }
}
