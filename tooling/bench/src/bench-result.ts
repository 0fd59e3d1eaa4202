/** What a row measured: a training step, a forward pass, or decoding + resizing files. */
export type BenchTask = 'train' | 'infer' | 'decode';

/**
 * One measured row, in the shape of `cnnkit bench --json` (DESIGN.md): engines are
 * `cnnkit-<backend>`, `tfjs-layers-<backend>`, `pytorch` and `sharp-decode`.
 */
export interface BenchResult {
  engine: string;
  task: BenchTask;
  /** Image side in pixels. */
  size: number;
  /** Images per step (the batch actually used; slow peers may run a smaller one, see `note`). */
  batch: number;
  /** Median over the timed repeats. */
  imagesPerSecond: number;
  /** Timed repeats behind the median. */
  repeats: number;
  /** Anything a reader needs to interpret the number (reduced batch, single repeat...). */
  note?: string;
  /** Measured on a software GPU adapter (a CPU emulation): never counted as a GPU figure. */
  software?: boolean;
}

/** An engine/task that was not measured, and why (kept out of `results` so every result is a number). */
export interface SkippedBench {
  engine: string;
  task: BenchTask;
  size: number;
  reason: string;
}

/** The outcome of one engine/task/size: a number or the reason there is none. */
export type BenchOutcome = { kind: 'result'; result: BenchResult } | { kind: 'skipped'; skipped: SkippedBench };
