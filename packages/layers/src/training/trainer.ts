import { CnnkitError, ShapeError, createRng, tf } from '@cnnkit/tensor-core';
import type { SymbolicTensor } from '../layers/layer.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { describe } from '../utils/config-reader.js';
import { perExampleLoss, reduceLoss, resolveLoss, type LossName, type LossSpec } from '../losses/losses.js';
import { createMetric, labelKindFor, resolveMetricName, type LabelKind, type Metric, type MetricName } from '../metrics/metrics.js';
import { createOptimizer, type OptimizerSpec } from '../optimizers/create-optimizer.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { formatKerasShape } from '../utils/shape.js';
import type { TrainingEngine } from './training-engine.js';
import { checkEpochProgress, type BackupOptions, type EpochProgress } from './epoch-progress.js';

/** One weight of a model, addressed by its path `layer/weight` (e.g. `conv2d_1/kernel`). */
export interface NamedWeight {
  readonly path: string;
  readonly variable: tf.Variable;
  readonly trainable: boolean;
}

/**
 * What the training loop reads and writes of a model. A `Model` is one; the loop names
 * only this, so this file does not import the model's file, which imports this one.
 */
export interface TrainableModel {
  readonly name: string;
  readonly seed: number;
  readonly outputs: readonly SymbolicTensor[];
  compiled: CompiledState | null;
  history: History | null;
  stopTraining: boolean;
  call(xs: readonly tf.Tensor[], options: { training: boolean }, operation?: string): tf.Tensor[];
  namedWeights(): NamedWeight[];
  readonly trainableWeights: NamedWeight[];
}

/** One batch: inputs and labels, under any of the names cnnkit's data packages use. */
export type Batch =
  | { xs: tf.Tensor | tf.Tensor[]; ys: tf.Tensor | tf.Tensor[] }
  | { images: tf.Tensor; labels: tf.Tensor }
  | readonly [tf.Tensor | tf.Tensor[], tf.Tensor | tf.Tensor[]];

/**
 * Training or evaluation data:
 * - batches from an (async) iterable — iterated once per epoch, so it must be
 *   re-iterable (an array, or an object whose `[Symbol.asyncIterator]()` starts over),
 *   or a function `(epoch, startStep) => iterable` that returns a fresh one (starting
 *   at batch `startStep` when fit resumes inside an epoch; a function declared without
 *   that second parameter gets its first `startStep` batches read and dropped);
 * - whole tensors `[x, y]` or `{ x, y }`, cut into `batchSize` batches (shuffled per
 *   epoch with the model's seed when `shuffle` is on).
 */
export type DataSource =
  | AsyncIterable<Batch>
  | Iterable<Batch>
  | ((epoch: number, startStep: number) => AsyncIterable<Batch> | Iterable<Batch>)
  | { x: tf.Tensor | tf.Tensor[]; y: tf.Tensor | tf.Tensor[] }
  | readonly [tf.Tensor, tf.Tensor];

export interface CompileArgs {
  /** Default `'rmsprop'` (as Keras). A name, `{ className, config }` or an Optimizer. */
  optimizer?: OptimizerSpec;
  /** A loss name (`'binary_crossentropy'`, `'mse'`...) or `{ name, fromLogits }`. */
  loss: LossName | 'mse' | LossSpec;
  /** `accuracy`, `precision`, `recall`, `auc`. */
  metrics?: string[];
}

export interface CompiledState {
  optimizer: Optimizer;
  loss: Required<LossSpec>;
  metricNames: MetricName[];
  /** One list of metrics per output, and the label layout of each output. */
  metrics: Metric[][];
  kinds: LabelKind[];
}

export interface EvaluateOptions {
  /** For whole-tensor data. Default 32. */
  batchSize?: number;
}

export interface FitOptions {
  /** Train until this epoch (exclusive, counted from 0 as Keras). Default 1. */
  epochs?: number;
  /** Start at this epoch (resuming). Default 0. */
  initialEpoch?: number;
  /** For whole-tensor data. Default 32. */
  batchSize?: number;
  /** Shuffle whole-tensor data every epoch (seeded by the model seed and the epoch). Default true. */
  shuffle?: boolean;
  /** Evaluated after each epoch; its logs get the `val_` prefix. */
  validationData?: DataSource;
  callbacks?: Callback[];
  /** Loss weight per class index, e.g. `{ 0: 1, 1: 3 }`, read from the first output's labels. */
  classWeight?: Record<number, number>;
  /** 0 silent, 1 progress bar per epoch. Default 1. */
  verbose?: 0 | 1;
  /** Where the progress bar goes. Default `process.stderr`. */
  progressStream?: NodeJS.WritableStream;
  /**
   * Dispose the batch tensors after each step. Default: true for iterators
   * (data pipelines hand over fresh tensors), false for arrays and whole tensors.
   */
  disposeBatches?: boolean;
  /**
   * Runs the steps on another engine (e.g. the ORT training engine) instead of the
   * model's tfjs backend; the loop, callbacks and checkpoints stay the same.
   */
  engine?: TrainingEngine;
  /**
   * Continues inside epoch `initialEpoch` from a checkpoint written there (its
   * progress): the remaining batches only, and the loss and metrics carried on.
   */
  initialProgress?: EpochProgress;
  /** Backups written inside epochs (see `BackupOptions`). */
  backup?: BackupOptions;
  /**
   * Aborting it stops training once the step in progress finishes: a backup is
   * written (when `backup` is given) and fit rejects with a CnnkitError `INTERRUPTED`.
   */
  signal?: AbortSignal;
}

/** Validates and stores the training configuration (see `Model.compile`). */
export function compileModel(model: TrainableModel, args: CompileArgs): CompiledState {
  if (args === null || typeof args !== 'object') throw new CnnkitError('INVALID_CONFIG', `compile: expected { optimizer, loss, metrics }, received ${describe(args)}`);
  const loss = resolveLoss(args.loss);
  const metricNames = (args.metrics ?? []).map(resolveMetricName);
  const kinds = model.outputs.map((o) => labelKindFor(loss.name, o.shape[o.shape.length - 1] ?? 1));
  model.compiled?.optimizer.dispose();
  return {
    optimizer: createOptimizer(args.optimizer ?? 'rmsprop'),
    loss,
    metricNames,
    metrics: kinds.map((kind) => metricNames.map((m) => createMetric(m, kind))),
    kinds,
  };
}

function isTensor(v: unknown): v is tf.Tensor {
  return v instanceof tf.Tensor;
}

function toList(v: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(v) ? v : [v];
}

/** `{ xs, ys }`, `{ images, labels }` or `[x, y]` → lists of input and label tensors. */
export function normalizeBatch(batch: unknown, operation: string): { xs: tf.Tensor[]; ys: tf.Tensor[] } {
  if (Array.isArray(batch) && batch.length === 2) return withLabels(batch[0], batch[1], operation);
  const b = batch as Record<string, unknown> | null;
  if (b !== null && typeof b === 'object') {
    if ('xs' in b && 'ys' in b) return withLabels(b.xs, b.ys, operation);
    if ('images' in b && 'labels' in b) return withLabels(b.images, b.labels, operation);
  }
  throw new CnnkitError('INVALID_DATA', `${operation}: expected batches { xs, ys }, { images, labels } or [x, y], received ${describe(batch)}`);
}

/**
 * A batch without labels is what a dataset made with `labelMode: null` yields (its type
 * says so; a cast or plain JavaScript gets here): one clear error instead of a TypeError
 * deep in the loss.
 */
function withLabels(xs: unknown, ys: unknown, operation: string): { xs: tf.Tensor[]; ys: tf.Tensor[] } {
  const inputs = toList(xs as tf.Tensor);
  const labels = ys === null || ys === undefined ? [] : toList(ys as tf.Tensor);
  if (labels.length === 0 || labels.some((t) => t === null || t === undefined)) {
    throw new CnnkitError(
      'NO_LABELS',
      `${operation}: expected batches with labels, received ${ys === null || ys === undefined ? `labels ${String(ys)}` : 'a list of labels holding null'} (a dataset made with labelMode: null has none); make the dataset with labelMode 'int', 'binary' or 'categorical', or use predict for images alone`,
    );
  }
  return { xs: inputs, ys: labels };
}

interface Epoch {
  batches: AsyncIterable<unknown> | Iterable<unknown>;
  steps: number | null;
  owned: boolean;
}

/** The batches of one epoch, and whether the loop owns (disposes) them. */
function epochBatches(data: DataSource, epoch: number, model: TrainableModel, batchSize: number, shuffle: boolean, operation: string, startStep = 0): Epoch {
  const whole = wholeTensors(data, operation);
  if (whole !== null) {
    const n = whole.x[0].shape[0];
    if ([...whole.x, ...whole.y].some((t) => t.shape[0] !== n)) {
      throw new ShapeError(`${operation}: expected inputs and labels with one number of examples, received ${[...whole.x, ...whole.y].map((t) => formatKerasShape(t.shape)).join(', ')}`);
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new CnnkitError('INVALID_ARGUMENT', `${operation}: expected batchSize a positive integer, received ${batchSize}`);
    const order = shuffle ? createRng(model.seed).fork(`shuffle/${epoch}`).permutation(n) : null;
    const steps = Math.ceil(n / batchSize);
    function* generate() {
      for (let s = startStep; s < steps; s++) {
        const start = s * batchSize;
        const size = Math.min(batchSize, n - start);
        if (order === null) {
          yield { xs: whole!.x.map((t) => tf.slice(t, start, size)), ys: whole!.y.map((t) => tf.slice(t, start, size)) };
        } else {
          const idx = tf.tensor1d(order.slice(start, start + size), 'int32');
          const batch = { xs: whole!.x.map((t) => tf.gather(t, idx)), ys: whole!.y.map((t) => tf.gather(t, idx)) };
          idx.dispose();
          yield batch;
        }
      }
    }
    return { batches: generate(), steps, owned: true };
  }
  const seeks = typeof data === 'function' && data.length >= 2;
  const source = typeof data === 'function' ? data(epoch, startStep) : data;
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source || Symbol.iterator in source)) {
    throw new CnnkitError('INVALID_DATA', `${operation}: expected batches (an iterable or async iterable), whole tensors [x, y] or { x, y }, or a function returning batches; received ${describe(source)}`);
  }
  const owned = !Array.isArray(source);
  const batches = seeks || startStep === 0 ? (source as AsyncIterable<unknown>) : dropFirst(source as AsyncIterable<unknown> | Iterable<unknown>, startStep, owned);
  return { batches, steps: Array.isArray(source) ? source.length : null, owned };
}

/** The batches after the first `count` (which are disposed when the loop owns them): a source that cannot seek. */
async function* dropFirst(batches: AsyncIterable<unknown> | Iterable<unknown>, count: number, owned: boolean): AsyncGenerator<unknown> {
  let index = 0;
  for await (const batch of batches) {
    if (index++ >= count) {
      yield batch;
    } else if (owned) {
      const { xs, ys } = normalizeBatch(batch, 'fit');
      for (const t of [...xs, ...ys]) t.dispose();
    }
  }
}

/** Signals are delivered between macrotasks; a loop of resolved promises would never see one. */
function yieldToEventLoop(): Promise<void> {
  // setImmediate is Node's; a browser (which has no signals, but may abort) takes a timer.
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

function interrupted(epoch: number, step: number): CnnkitError {
  return new CnnkitError('INTERRUPTED', `fit: stopped on request after epoch ${epoch + 1}, step ${step}`);
}

function wholeTensors(data: DataSource, operation: string): { x: tf.Tensor[]; y: tf.Tensor[] } | null {
  if (Array.isArray(data) && data.length === 2 && isTensor(data[0]) && isTensor(data[1])) return { x: [data[0]], y: [data[1]] };
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'x' in data && 'y' in data) {
    const { xs, ys } = withLabels(data.x, data.y, operation);
    return { x: xs, y: ys };
  }
  return null;
}

/** Per-example weights from the labels of the first output and `classWeight`. */
async function sampleWeights(classWeight: Record<number, number> | undefined, ys: tf.Tensor, kind: LabelKind): Promise<tf.Tensor | undefined> {
  if (classWeight === undefined) return undefined;
  // Read asynchronously: labels sliced on a GPU backend have no synchronous read-back.
  const labels = await ys.data();
  const n = ys.shape[0] ?? 1;
  const per = labels.length / n;
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (kind === 'categorical' || (kind === 'binary' && per > 1)) {
      cls = 0;
      for (let j = 1; j < per; j++) if (labels[i * per + j] > labels[i * per + cls]) cls = j;
    } else {
      cls = Math.round(labels[i * per]);
    }
    const w = classWeight[cls];
    if (w === undefined) throw new CnnkitError('INVALID_ARGUMENT', `fit: classWeight has no weight for class ${cls}; given: ${Object.keys(classWeight).join(', ')}`);
    weights[i] = w;
  }
  return tf.tensor1d(weights);
}

/** Total loss over the outputs (a single loss is applied to every output and summed, as Keras). */
function totalLoss(c: CompiledState, ys: readonly tf.Tensor[], preds: readonly tf.Tensor[], sw: tf.Tensor | undefined): tf.Scalar {
  const terms = preds.map((p, i) => reduceLoss(perExampleLoss(c.loss, ys[i], p), sw));
  return (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar;
}

/** What the metrics compare: probabilities, also when the loss takes logits. */
function metricInput(c: CompiledState, pred: tf.Tensor, kind: LabelKind): tf.Tensor {
  if (!c.loss.fromLogits || c.loss.name === 'mean_squared_error') return pred;
  return kind === 'binary' ? tf.sigmoid(pred) : tf.softmax(pred, -1);
}

// Reads are asynchronous: on a GPU backend (webgpu) computed tensors have no synchronous read-back.
async function updateMetrics(c: CompiledState, ys: readonly tf.Tensor[], probs: readonly tf.Tensor[], sw: tf.Tensor | undefined): Promise<void> {
  if (c.metricNames.length === 0) return;
  const weights = await sw?.data();
  for (const [i, p] of probs.entries()) {
    const classes = p.shape[p.rank - 1] ?? 1;
    const [labels, values] = await Promise.all([ys[i].data(), p.data()]);
    for (const m of c.metrics[i]) m.update(labels, values, classes, weights);
  }
}

function metricLogs(model: TrainableModel, c: CompiledState, prefix: string): Logs {
  const logs: Logs = {};
  c.metrics.forEach((list, i) => {
    const outputPrefix = c.metrics.length > 1 ? `${model.outputs[i].layer.name}_` : '';
    for (const m of list) logs[`${prefix}${outputPrefix}${m.name}`] = m.result();
  });
  return logs;
}

function requireCompiled(model: TrainableModel, operation: string): CompiledState {
  if (model.compiled === null) {
    throw new CnnkitError('NOT_COMPILED', `${operation}: model "${model.name}" must be compiled first: model.compile({ optimizer, loss, metrics })`);
  }
  return model.compiled;
}

function checkLabels(model: TrainableModel, ys: tf.Tensor[], operation: string): void {
  if (ys.length !== model.outputs.length) {
    throw new ShapeError(`${operation}: model "${model.name}" has ${model.outputs.length} output(s), received ${ys.length} label tensor(s)`);
  }
}

/** The loss of one batch, the gradient of every trainable weight, and the metric inputs (all kept: the caller disposes them). */
export interface LossAndGradients {
  loss: tf.Scalar;
  /** Per trainable weight (in `model.trainableWeights` order); undefined where the loss does not depend on it. */
  grads: (tf.Tensor | undefined)[];
  /** Per output: what the metrics compare (probabilities). */
  probs: tf.Tensor[];
  /** Per-example loss weights from `classWeight`, when given. */
  sampleWeight: tf.Tensor | undefined;
}

/**
 * Forward in training mode, loss and gradients of the trainable weights, without
 * updating anything but the layers' statistics (batch normalisation). The part of
 * `trainStep` that a data-parallel worker runs on its shard of a batch: with Keras's
 * mean over the batch, the shard gradients weighted by shard size sum to the batch's.
 */
export async function lossAndGradients(model: TrainableModel, xs: readonly tf.Tensor[], ys: readonly tf.Tensor[], classWeight?: Record<number, number>): Promise<LossAndGradients> {
  const c = requireCompiled(model, 'fit');
  checkLabels(model, ys as tf.Tensor[], 'fit');
  const weights = model.trainableWeights;
  const sw = await sampleWeights(classWeight, ys[0], c.kinds[0]);
  let probs: tf.Tensor[] = [];
  let grads: (tf.Tensor | undefined)[] = [];
  const loss = tf.tidy(() => {
    const forward = (): tf.Scalar => {
      const preds = model.call(xs, { training: true }, 'fit');
      // Kept past the gradient scope for the metrics; the caller disposes them.
      probs = preds.map((p, i) => tf.keep(metricInput(c, p, c.kinds[i])));
      return totalLoss(c, ys, preds, sw);
    };
    if (weights.length === 0) return forward();
    const { value, grads: byName } = tf.variableGrads(forward, weights.map((w) => w.variable));
    grads = weights.map((w) => (byName[w.variable.name] === undefined ? undefined : tf.keep(byName[w.variable.name])));
    return value;
  });
  return { loss, grads, probs, sampleWeight: sw };
}

/**
 * One optimisation step on a batch: forward in training mode, loss, gradients of
 * the trainable weights, optimizer update, metric update. Leaves no tensors behind.
 * Resolves to the batch loss once the step has run (reads are asynchronous, so this
 * works on GPU backends too).
 *
 * @example
 * ```ts
 * const loss = await trainStep(model, [images], [labels]);
 * ```
 */
export async function trainStep(model: TrainableModel, xs: tf.Tensor[], ys: tf.Tensor[], classWeight?: Record<number, number>): Promise<number> {
  const c = requireCompiled(model, 'fit');
  const { loss: lossTensor, grads, probs, sampleWeight: sw } = await lossAndGradients(model, xs, ys, classWeight);
  try {
    const weights = model.trainableWeights;
    if (weights.length > 0) {
      c.optimizer.applyGradients(
        weights.flatMap((w, i) => (grads[i] === undefined ? [] : [{ path: w.path, variable: w.variable, gradient: grads[i]! }])),
      );
    }
    // The kernels above are queued; the read waits for them (on a GPU, for the whole step).
    const loss = (await lossTensor.data())[0];
    await updateMetrics(c, ys, probs, sw);
    return loss;
  } finally {
    tf.dispose([lossTensor, ...grads.filter((g) => g !== undefined), ...probs]);
    sw?.dispose();
  }
}

/** One step on an external engine, with the same metric update as `trainStep`. */
async function engineStep(model: TrainableModel, engine: TrainingEngine, xs: tf.Tensor[], ys: tf.Tensor[], classWeight?: Record<number, number>): Promise<number> {
  const c = requireCompiled(model, 'fit');
  checkLabels(model, ys, 'fit');
  const { loss, predictions } = await engine.step(xs, ys, classWeight);
  if (c.metricNames.length > 0) {
    const sw = await sampleWeights(classWeight, ys[0], c.kinds[0]);
    const probs = predictions.map((p, i) => tf.tensor(p, [xs[0].shape[0] ?? 1, ...model.outputs[i].shape.slice(1).map((d) => d ?? 1)]));
    await updateMetrics(c, ys, probs, sw);
    for (const p of probs) p.dispose();
    sw?.dispose();
  }
  return loss;
}

/**
 * The batches of an epoch, read one ahead on request: `prefetch()` starts reading the
 * next batch while the caller awaits something else; `next()` returns it (or reads
 * one). Errors of a prefetched read surface from the `next()` that returns it.
 */
function readAhead(batches: AsyncIterable<unknown> | Iterable<unknown>): {
  next(): Promise<IteratorResult<unknown>>;
  prefetch(): void;
  abandon(disposeBatch: boolean): Promise<void>;
} {
  const iterator: AsyncIterator<unknown> | Iterator<unknown> =
    Symbol.asyncIterator in batches ? (batches as AsyncIterable<unknown>)[Symbol.asyncIterator]() : (batches as Iterable<unknown>)[Symbol.iterator]();
  let ahead: Promise<IteratorResult<unknown>> | null = null;
  // A synchronous throw of the iterator becomes a rejection like an asynchronous one.
  const read = () => new Promise<IteratorResult<unknown>>((resolve) => resolve(iterator.next()));
  return {
    next() {
      const result = ahead ?? read();
      ahead = null;
      return result;
    },
    prefetch() {
      if (ahead !== null) return;
      ahead = read();
      // Handled by the next() that returns it; until then a rejection is not "unhandled".
      ahead.catch(() => {});
    },
    /** After an error: drops a prefetched batch (disposing its tensors) and closes the iterator, as `for await` would. */
    async abandon(disposeBatch: boolean) {
      const pending = ahead;
      ahead = null;
      if (pending !== null) {
        const result = await pending.catch(() => null);
        if (result !== null && !result.done && disposeBatch) {
          try {
            const { xs, ys } = normalizeBatch(result.value, 'fit');
            for (const t of [...xs, ...ys]) t.dispose();
          } catch {
            // Not a batch: nothing of ours to free.
          }
        }
      }
      try {
        await iterator.return?.();
      } catch {
        // The error that stopped the epoch is the one to report.
      }
    },
  };
}

/** Trains a compiled model; see `Model.fit`. */
export async function fitModel(model: TrainableModel, data: DataSource, options: FitOptions = {}): Promise<History> {
  const c = requireCompiled(model, 'fit');
  const epochs = options.epochs ?? 1;
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0 || !Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new CnnkitError('INVALID_ARGUMENT', `fit: expected non-negative integers epochs and initialEpoch, received ${epochs} and ${initialEpoch}`);
  }
  const history = new History();
  model.history = history;
  const callbacks: Callback[] = [history, ...(options.callbacks ?? [])];
  if ((options.verbose ?? 1) === 1) {
    // Loaded on demand: the terminal progress bar is for Node, not for browser bundles.
    const { ProgressLogger } = await import('../callbacks/progress-logger.js');
    callbacks.push(new ProgressLogger({ stream: options.progressStream }));
  }
  // Callbacks get the model (setModel) from Model.fit, which holds its own type.
  model.stopTraining = false;
  for (const cb of callbacks) await cb.onTrainBegin?.({ epochs, initialEpoch });
  let lastLogs: Logs = {};
  let knownSteps: number | null = null;
  const resume = options.initialProgress === undefined ? null : checkEpochProgress(options.initialProgress, 'fit');
  if (resume !== null && resume.epoch !== initialEpoch) {
    throw new CnnkitError('INVALID_ARGUMENT', `fit: initialProgress is for epoch ${resume.epoch}, but initialEpoch is ${initialEpoch}; pass the epoch the checkpoint was written in`);
  }
  const backup = options.backup;
  const signal = options.signal;
  try {
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      const from = epoch === initialEpoch && resume !== null ? resume : null;
      const startStep = from?.step ?? 0;
      const { batches, steps, owned } = epochBatches(data, epoch, model, options.batchSize ?? 32, options.shuffle ?? true, 'fit', startStep);
      const dispose = options.disposeBatches ?? owned;
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, { epochs, steps: steps ?? knownSteps });
      for (const list of c.metrics) for (const m of list) m.reset();
      if (from !== null) {
        if (from.metrics.length !== c.metrics.length || from.metrics.some((list, i) => list.length !== c.metrics[i].length)) {
          throw new CnnkitError('INVALID_ARGUMENT', `fit: initialProgress holds ${JSON.stringify(from.metrics.map((l) => l.length))} metric states per output, the model compiles ${JSON.stringify(c.metrics.map((l) => l.length))}`);
        }
        c.metrics.forEach((list, i) => list.forEach((m, j) => m.setState(from.metrics[i][j])));
      }
      await options.engine?.begin(startStep);
      let lossSum = from?.lossSum ?? 0;
      let seen = from?.seen ?? 0;
      let step = startStep;
      let savedAt = step;
      let savedMs = performance.now();
      const progress = (): EpochProgress => ({ epoch, step, lossSum, seen, metrics: c.metrics.map((list) => list.map((m) => m.getState())) });
      const save = async () => {
        // The engine holds the weights: the model gets them before anything reads it.
        if (options.engine?.sync !== undefined) {
          await options.engine.sync();
        } else if (options.engine !== undefined) {
          await options.engine.end();
          await options.engine.begin(step);
        }
        await backup!.save(progress());
        savedAt = step;
        savedMs = performance.now();
      };
      const reader = readAhead(batches);
      try {
        if (signal?.aborted) {
          if (backup !== undefined && startStep > 0) await save();
          throw interrupted(epoch, step);
        }
        for (;;) {
          const next = await reader.next();
          if (next.done) break;
          const { xs, ys } = normalizeBatch(next.value, 'fit');
          // Backups are written only before a step that exists, never after the
          // epoch's last one (its end writes the complete checkpoint instead).
          const due =
            backup !== undefined &&
            step > savedAt &&
            ((backup.everySteps !== undefined && step % backup.everySteps === 0) || (backup.everyMs !== undefined && performance.now() - savedMs >= backup.everyMs));
          if (due) {
            try {
              await save();
            } catch (error) {
              if (dispose) for (const t of [...xs, ...ys]) t.dispose();
              throw error;
            }
          }
          step++;
          let loss: number;
          try {
            // A step's kernels are queued when it is called and run elsewhere (a GPU, worker
            // threads, onnxruntime); meanwhile this thread loads and augments the next batch.
            const running = options.engine === undefined
              ? trainStep(model, xs, ys, options.classWeight)
              : engineStep(model, options.engine, xs, ys, options.classWeight);
            reader.prefetch();
            loss = await running;
          } finally {
            if (dispose) for (const t of [...xs, ...ys]) t.dispose();
          }
          if (!Number.isFinite(loss)) {
            throw new CnnkitError(
              'NAN_LOSS',
              `fit: the loss became ${loss} at epoch ${epoch + 1}, step ${step}; lower the learning rate or check the data for NaN/Inf values`,
            );
          }
          // Keras averages the batch losses weighted by batch size.
          const n = xs[0].shape[0] ?? 1;
          lossSum += loss * n;
          seen += n;
          const logs = { loss: lossSum / seen, ...metricLogs(model, c, '') };
          for (const cb of callbacks) await cb.onBatchEnd?.(step, logs);
          if (signal !== undefined) {
            await yieldToEventLoop();
            if (signal.aborted) {
              if (backup !== undefined) await save();
              throw interrupted(epoch, step);
            }
          }
        }
      } catch (error) {
        await reader.abandon(dispose);
        throw error;
      }
      if (step === 0) throw new CnnkitError('INVALID_DATA', `fit: epoch ${epoch + 1} received no batches; is the data iterable only once? Pass a function (epoch) => batches`);
      knownSteps = step;
      // The model's weights are the engine's again before anyone reads them.
      await options.engine?.end();
      // wasm's XNNPACK relu and max-pool turn NaN into numbers, so a diverged model can
      // report a finite loss: the weights themselves are checked once per epoch.
      const bad = await nonFiniteWeight(model);
      if (bad !== null) {
        throw new CnnkitError(
          'NAN_LOSS',
          `fit: weight ${bad.path} became ${bad.value} at epoch ${epoch + 1} (the loss was ${lossSum / seen}); lower the learning rate or check the data for NaN/Inf values`,
        );
      }
      const logs: Logs = { loss: lossSum / seen, ...metricLogs(model, c, '') };
      if (options.validationData !== undefined) {
        // Named as fit's option, so an error in the validation data says where it came from.
        const val = await evaluateModel(model, options.validationData, { batchSize: options.batchSize }, 'fit (validationData)');
        for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
      }
      lastLogs = { ...logs, learning_rate: c.optimizer.learningRate };
      for (const cb of callbacks) await cb.onEpochEnd?.(epoch, lastLogs);
    }
  } catch (error) {
    for (const cb of callbacks) cb.onTrainAbort?.(error);
    throw error;
  }
  for (const cb of callbacks) await cb.onTrainEnd?.(lastLogs);
  return history;
}

/**
 * The first weight of `model` holding NaN or Inf, or null.
 *
 * @example
 * ```ts
 * const bad = await nonFiniteWeight(model); // { path: 'conv2d/kernel', value: NaN } | null
 * ```
 */
export async function nonFiniteWeight(model: TrainableModel): Promise<{ path: string; value: number } | null> {
  for (const w of model.namedWeights()) {
    const values = (await w.variable.data()) as Float32Array;
    for (const v of values) if (!Number.isFinite(v)) return { path: w.path, value: v };
  }
  return null;
}

/** Loss and metrics over `data` in inference mode; see `Model.evaluate`. */
export async function evaluateModel(model: TrainableModel, data: DataSource, options: EvaluateOptions = {}, operation = 'evaluate'): Promise<Logs> {
  const c = requireCompiled(model, operation);
  const { batches, owned } = epochBatches(data, 0, model, options.batchSize ?? 32, false, operation);
  const metrics = c.kinds.map((kind) => c.metricNames.map((m) => createMetric(m, kind)));
  const state: CompiledState = { ...c, metrics };
  let lossSum = 0;
  let seen = 0;
  for await (const raw of batches) {
    const { xs, ys } = normalizeBatch(raw, operation);
    try {
      checkLabels(model, ys, operation);
      const [loss, probs] = tf.tidy(() => {
        const preds = model.call(xs, { training: false }, operation);
        return [totalLoss(state, ys, preds, undefined), preds.map((p, i) => metricInput(state, p, state.kinds[i]))] as const;
      });
      const n = xs[0].shape[0] ?? 1;
      lossSum += (await loss.data())[0] * n;
      seen += n;
      await updateMetrics(state, ys, probs, undefined);
      loss.dispose();
      for (const p of probs) p.dispose();
    } finally {
      if (owned) for (const t of [...xs, ...ys]) t.dispose();
    }
  }
  if (seen === 0) throw new CnnkitError('INVALID_DATA', 'evaluate: received no batches');
  return { loss: lossSum / seen, ...metricLogs(model, state, '') };
}
