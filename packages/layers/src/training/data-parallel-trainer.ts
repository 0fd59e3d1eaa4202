import type { Worker } from 'node:worker_threads';
import {
  BACKEND_NAMES,
  CnnkitError,
  ShapeError,
  defaultRegistry,
  tf,
  type BackendName,
  type BackendPlugin,
  type WorkerPluginSource,
} from '@cnnkit/tensor-core';
import {
  assignValues,
  concatValues,
  firstLine,
  shardSizes,
  weightedAverage,
  workerSetupOf,
  type FromWorker,
  type PackedTensor,
  type ToWorker,
  type WorkerInit,
  type WorkerSetupModule,
} from './data-parallel-protocol.js';
import type { Model } from '../models/model.js';
import { OPTIMIZER_NAMES } from '../optimizers/optimizer.js';
import type { CompileArgs } from './trainer.js';
import type { EngineStepResult, TrainingEngine } from './training-engine.js';

// Resolved from src/ (tests) and dist/ alike: workers always run the compiled file.
// Node modules are imported on use: this package also runs in browsers, where this
// engine does not (worker_threads is Node's).
const WORKER_URL = new URL('../../dist/training/data-parallel-worker.js', import.meta.url);

/** More workers than this split a batch into shards too small to keep a core busy. */
export const MAX_DEFAULT_WORKERS = 8;

/** Where the time of the steps went (totals since the trainer started or `timings.reset()`). */
export interface DataParallelTimings {
  steps: number;
  /** From posting the shards to having every worker's gradients (what `step` waits for). */
  waitMs: number;
  /** Per worker: forward + backward of its shards, and its optimizer updates. */
  computeMs: number[];
  applyMs: number[];
}

export interface DataParallelOptions {
  /**
   * The backend each worker runs its own instance of: a plugin that can run in worker
   * threads (`wasmBackend()`, `cpuBackend()`), its `WorkerPluginSource`, or the name of
   * a plugin registered in tensor-core's `defaultRegistry`.
   */
  backend: BackendPlugin | WorkerPluginSource | BackendName;
  /** Worker threads, one model replica each. Default `await defaultWorkerCount()` (the cores, at most 8). */
  workers?: number;
  /**
   * Where the averaged gradients are applied: `workers` (default; every replica runs
   * the same optimizer update, and nothing but gradients crosses threads per step) or
   * `main` (this thread's optimizer updates the model, and the weights are sent to every
   * worker after each step).
   */
  update?: 'workers' | 'main';
  /** Modules each worker imports and calls before building the model, e.g. to register custom layer classes. */
  setup?: WorkerSetupModule[];
}

/**
 * The default worker count: the cores this process may use (`os.availableParallelism()`), at most 8.
 *
 * @example
 * ```ts
 * const workers = await defaultWorkerCount(); // 2 on a 2-core machine
 * ```
 */
export async function defaultWorkerCount(): Promise<number> {
  const { availableParallelism } = await import('node:os');
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_WORKERS));
}

function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value);
}

function workerSource(backend: DataParallelOptions['backend']): { source: WorkerPluginSource; label: string } {
  if (isBackendName(backend)) {
    const plugin = defaultRegistry.get(backend);
    if (plugin === undefined) {
      throw new CnnkitError(
        'INVALID_ARGUMENT',
        `createDataParallelTrainer: backend "${backend}" is not registered in defaultRegistry (registered: ${defaultRegistry.names().join(', ') || 'none'}); register it (defaultRegistry.add(${backend}Backend())) or pass the plugin itself`,
      );
    }
    return workerSource(plugin);
  }
  if (backend !== null && typeof backend === 'object' && 'activate' in backend) {
    if (backend.worker === undefined) {
      throw new CnnkitError('INVALID_ARGUMENT', `createDataParallelTrainer: backend "${backend.name}" cannot run in worker threads (its plugin has no "worker" source); use wasm or cpu`);
    }
    return { source: backend.worker, label: backend.name };
  }
  const source = backend as WorkerPluginSource | null;
  if (source === null || typeof source !== 'object' || typeof source.module !== 'string' || typeof source.factory !== 'string') {
    throw new CnnkitError('INVALID_ARGUMENT', `createDataParallelTrainer: expected backend a plugin, a backend name or { module, factory }, received ${JSON.stringify(backend)}`);
  }
  return { source, label: source.factory };
}

/** One worker and the replies it owes, in order. */
class WorkerLink {
  readonly #waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void }[] = [];
  exited = false;
  readonly exit: Promise<void>;

  constructor(
    readonly worker: Worker,
    readonly index: number,
    onFailure: (message: string) => void,
  ) {
    // Idle workers do not keep the process alive: a forgotten dispose() cannot hang it.
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'error') {
        onFailure(m.message);
        return;
      }
      const next = this.#waiting.shift();
      if (this.#waiting.length === 0) worker.unref();
      next?.resolve(m);
    });
    worker.on('error', (error) => onFailure(firstLine(error)));
    worker.on('messageerror', (error) => onFailure(`a message could not be deserialised: ${firstLine(error)}`));
    this.exit = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.exited = true;
        onFailure(`exited with code ${code}`);
        resolve();
      });
    });
  }

  /** Waits for the next reply (the first call waits for `ready`). */
  expect(): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.length === 0) this.worker.ref();
      this.#waiting.push({ resolve, reject });
    });
  }

  request(message: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    const reply = this.expect();
    this.worker.postMessage(message, transfer);
    return reply;
  }

  send(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  rejectAll(error: Error): void {
    for (const w of this.#waiting.splice(0)) w.reject(error);
    this.worker.unref();
  }
}

function expectReply<T extends FromWorker['type']>(m: FromWorker, type: T): Extract<FromWorker, { type: T }> {
  if (m.type !== type) throw new CnnkitError('WORKER_PROTOCOL', `data-parallel training: expected a "${type}" reply from a worker, received "${m.type}"`);
  return m as Extract<FromWorker, { type: T }>;
}

/** The values of a batch tensor, read once, to cut into shards. */
function read(t: tf.Tensor): { values: PackedTensor['data']; shape: number[]; dtype: PackedTensor['dtype'] } {
  const dtype = t.dtype === 'int32' || t.dtype === 'bool' ? t.dtype : 'float32';
  const raw = t.dataSync();
  const values = dtype === 'float32' && !(raw instanceof Float32Array) ? Float32Array.from(raw as ArrayLike<number>) : raw;
  return { values: values as PackedTensor['data'], shape: t.shape, dtype };
}

/** Examples `start .. start + size` of a batch (a copy, so each shard's buffer can be transferred). */
function cut(t: ReturnType<typeof read>, start: number, size: number): PackedTensor {
  const per = t.values.length / (t.shape[0] ?? 1);
  return { data: t.values.slice(start * per, (start + size) * per), shape: [size, ...t.shape.slice(1)], dtype: t.dtype };
}

/**
 * Data-parallel training on worker threads, each running its own instance of a
 * backend (e.g. one single-threaded wasm instance per core). Each batch is split into
 * contiguous shards (as equal as possible, any batch size); every worker computes the
 * loss and gradients of its shard; the main thread averages them weighted by shard
 * size — Keras losses are means over the batch, so `Σ nᵢ gᵢ / N` is the full batch's
 * gradient, class weights included — and every replica applies that same gradient with
 * its own optimizer, so the replicas stay identical. `fit` gets the loss and the
 * predictions in batch order, so its metrics work unchanged.
 *
 * What differs from one instance:
 * - BatchNormalization normalises each shard with the shard's statistics (as PyTorch
 *   DataParallel without SyncBatchNorm); the moving mean and variance are the replicas'
 *   averaged by shard size, i.e. they move towards the shard-size-weighted mean of the
 *   shard statistics (the batch mean exactly; the variance without the spread between
 *   shard means).
 * - Dropout: each worker draws its masks from its own stream, forked from the model's
 *   stream for the layer and the worker's index and count, so runs are reproducible for a
 *   fixed worker count (not across counts). The model's streams advance once per epoch,
 *   so checkpoints resume exactly.
 *
 * The engine owns the weights between `begin` (sends the model's weights, optimizer
 * state and streams to the workers) and `end` (writes them back into the model), as
 * `fit` expects. A failing worker (an error in a step, a crash) makes `step` reject with
 * one line naming the worker, and terminates every worker. Call `dispose()` when done;
 * idle workers never keep the process alive.
 */
export class DataParallelTrainer implements TrainingEngine {
  readonly name: string;
  readonly model: Model;
  readonly workers: number;
  readonly update: 'workers' | 'main';
  readonly #source: WorkerPluginSource;
  readonly #setup: WorkerSetupModule[];
  #links: WorkerLink[] = [];
  #started: Promise<void> | null = null;
  #loaded = false;
  #failure: CnnkitError | null = null;
  #disposed = false;
  #steps = 0;
  #backend = '';
  #timings: DataParallelTimings = { steps: 0, waitMs: 0, computeMs: [], applyMs: [] };

  /** `options.workers` is required here; `createDataParallelTrainer` fills in the default. */
  constructor(model: Model, options: DataParallelOptions & { workers: number }) {
    if (model.compiled === null) {
      throw new CnnkitError('NOT_COMPILED', `DataParallelTrainer: model "${model.name}" must be compiled first: model.compile({ optimizer, loss, metrics })`);
    }
    const className = model.compiled.optimizer.className;
    if (!(OPTIMIZER_NAMES as readonly string[]).includes(className)) {
      throw new CnnkitError('INVALID_ARGUMENT', `DataParallelTrainer: the workers recreate the optimizer by class name; expected one of ${OPTIMIZER_NAMES.join(', ')}, received ${String(className)}`);
    }
    const workers = options.workers;
    if (!Number.isInteger(workers) || workers < 1) {
      throw new CnnkitError('INVALID_ARGUMENT', `DataParallelTrainer: expected workers a positive integer, received ${workers}`);
    }
    const update = options.update ?? 'workers';
    if (update !== 'workers' && update !== 'main') {
      throw new CnnkitError('INVALID_ARGUMENT', `DataParallelTrainer: expected update "workers" or "main", received ${JSON.stringify(update)}`);
    }
    const { source, label } = workerSource(options.backend);
    this.model = model;
    this.workers = workers;
    this.update = update;
    this.#source = source;
    // Classes from other packages register themselves in the workers (their layers'
    // workerSetup); explicit setup entries come first and may cover the rest.
    const own = workerSetupOf(model.layers);
    if (own.missing.length > 0 && options.setup === undefined) {
      throw new CnnkitError(
        'INVALID_ARGUMENT',
        `DataParallelTrainer: the worker threads cannot rebuild layer ${own.missing.join(', ')}: its class is registered on this thread only; pass setup: [{ module, call }] that registers it in a worker, give the layer a workerSetup, or train on one instance (workers: 1)`,
      );
    }
    this.#setup = [...(options.setup ?? []), ...own.setup.filter((s) => !(options.setup ?? []).some((t) => t.module === s.module && t.call === s.call))];
    this.name = `data-parallel ${label} x${workers}`;
  }

  /** The tfjs backend the workers run (known once they started). */
  get workerBackend(): string {
    return this.#backend;
  }

  /** Where the steps' time went since the start or the last `resetTimings()` (apply times lag one step). */
  get timings(): DataParallelTimings {
    const t = this.#timings;
    const fill = (a: number[]) => Array.from({ length: this.workers }, (_, i) => a[i] ?? 0);
    return { steps: t.steps, waitMs: t.waitMs, computeMs: fill(t.computeMs), applyMs: fill(t.applyMs) };
  }

  resetTimings(): void {
    this.#timings = { steps: 0, waitMs: 0, computeMs: [], applyMs: [] };
  }

  /** Workers whose thread is still running. */
  get liveWorkers(): number {
    return this.#links.filter((l) => !l.exited).length;
  }

  #prefix(): string {
    return this.name;
  }

  #fail(index: number, message: string): void {
    if (this.#failure !== null || this.#disposed) return;
    const where = this.#steps > 0 ? ` in step ${this.#steps} of the epoch` : '';
    const text = `${this.#prefix()}: worker ${index + 1} of ${this.workers} failed${where}: ${message}`.replace(/\s*\n\s*/g, ' ');
    this.#failure = new CnnkitError('WORKER_FAILED', text);
    for (const link of this.#links) link.rejectAll(this.#failure);
    for (const link of this.#links) void link.worker.terminate();
  }

  #check(): void {
    if (this.#failure !== null) throw this.#failure;
    if (this.#disposed) throw new CnnkitError('DISPOSED', `${this.#prefix()}: the trainer was disposed; create another one`);
  }

  /** Starts the workers (once) and waits until each has built its replica. */
  start(): Promise<void> {
    this.#check();
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    const [{ existsSync }, { fileURLToPath }, { Worker }] = await Promise.all([import('node:fs'), import('node:url'), import('node:worker_threads')]);
    const file = fileURLToPath(WORKER_URL);
    if (!existsSync(file)) {
      throw new CnnkitError('WORKER_MISSING', `${this.#prefix()}: ${file} is missing; build @cnnkit/layers (pnpm build) first`);
    }
    const c = this.model.compiled!;
    const architecture = this.model.getConfig();
    const ready: Promise<FromWorker>[] = [];
    for (let index = 0; index < this.workers; index++) {
      const init: WorkerInit = {
        index,
        workers: this.workers,
        plugin: this.#source,
        setup: this.#setup,
        architecture,
        optimizer: { className: c.optimizer.className, config: c.optimizer.getConfig() },
        loss: c.loss,
      };
      const worker = new Worker(file, { workerData: init });
      const link = new WorkerLink(worker, index, (message) => this.#fail(index, message));
      this.#links.push(link);
      ready.push(link.expect());
    }
    let replies: FromWorker[];
    try {
      replies = await Promise.all(ready);
    } catch (error) {
      await this.stopped();
      throw error;
    }
    const expected = this.model.namedWeights().map((w) => `${w.path}:${w.variable.size}:${w.trainable}`).join(',');
    for (const r of replies) {
      const m = expectReply(r, 'ready');
      const got = m.layout.map((w) => `${w.path}:${w.size}:${w.trainable}`).join(',');
      if (got !== expected) {
        this.#failure = new CnnkitError('WORKER_PROTOCOL', `${this.#prefix()}: a worker rebuilt the model with other weights (${got}) than the model's (${expected})`);
        await Promise.all(this.#links.map((l) => l.worker.terminate()));
        throw this.#failure;
      }
      this.#backend = m.backend;
    }
  }

  /**
   * Starts the workers if needed and sends them the model's weights, the optimizer's
   * state and the layers' random streams.
   */
  async begin(startStep = 0): Promise<void> {
    await this.start();
    this.#check();
    const weights = concatValues(this.model.namedWeights().map((w) => w.variable));
    const opt = this.model.compiled!.optimizer;
    const state = opt.getState();
    const slots = [...state.slots].map(([key, t]) => ({ key, shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) }));
    tf.dispose([...state.slots.values()]);
    const streams = this.model.getRngStates();
    const replies = await Promise.all(
      this.#links.map((l) => l.request({ type: 'load', weights, iterations: state.iterations, learningRate: opt.learningRate, slots, streams })),
    );
    for (const r of replies) expectReply(r, 'loaded');
    this.#loaded = true;
    this.#steps = startStep;
  }

  /**
   * One training step: splits the batch over the workers, averages their gradients by
   * shard size, and has every replica apply them. The batch's values are read before
   * the first await, so the caller may prepare the next batch meanwhile.
   *
   * @example
   * ```ts
   * const { loss, predictions } = await trainer.step([images], [labels]);
   * ```
   */
  async step(xs: readonly tf.Tensor[], ys: readonly tf.Tensor[], classWeight?: Record<number, number>): Promise<EngineStepResult> {
    this.#check();
    const n = xs[0]?.shape[0] ?? 0;
    if (n < 1 || [...xs, ...ys].some((t) => t.shape[0] !== n)) {
      throw new ShapeError(`${this.#prefix()}.step: expected inputs and labels with one batch size >= 1, received ${[...xs, ...ys].map((t) => `[${t.shape.join(', ')}]`).join(', ')}`);
    }
    const sizes = shardSizes(n, this.workers);
    const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const [xv, yv] = [xs.map(read), ys.map(read)];
    const shards = sizes.map((size, i) => (size === 0 ? null : { xs: xv.map((t) => cut(t, starts[i], size)), ys: yv.map((t) => cut(t, starts[i], size)) }));
    if (!this.#loaded) await this.begin();
    const index = this.#steps++;
    const active = this.#links.filter((_, i) => shards[i] !== null);
    const pending = active.map((link) => {
      const shard = shards[link.index]!;
      const transfer = [...shard.xs, ...shard.ys].map((p) => p.data.buffer as ArrayBuffer);
      return link.request({ type: 'step', step: index, xs: shard.xs, ys: shard.ys, classWeight }, transfer);
    });
    const posted = performance.now();
    const replies = (await Promise.all(pending)).map((r) => expectReply(r, 'gradients'));
    this.#check();
    const t = this.#timings;
    t.steps++;
    t.waitMs += performance.now() - posted;
    active.forEach((link, i) => {
      t.computeMs[link.index] = (t.computeMs[link.index] ?? 0) + replies[i].computeMs;
      t.applyMs[link.index] = (t.applyMs[link.index] ?? 0) + replies[i].applyMs;
    });
    const weights = active.map((l) => sizes[l.index]);
    const present = replies[0].present;
    const grads = weightedAverage(replies.map((r) => r.grads), weights);
    const stats = replies[0].stats === null ? null : weightedAverage(replies.map((r) => r.stats!), weights);
    const opt = this.model.compiled!.optimizer;
    if (this.update === 'workers') {
      for (const link of this.#links) link.send({ type: 'apply', grads, present, stats, learningRate: opt.learningRate });
      if (this.model.trainableWeights.length > 0) opt.iterations++;
    } else {
      this.#applyOnMain(grads, present, stats);
    }
    const loss = replies.reduce((sum, r, i) => sum + r.loss * weights[i], 0) / n;
    const predictions = replies[0].predictions.map((_, o) => {
      const parts = replies.map((r) => r.predictions[o]);
      const out = new Float32Array(parts.reduce((k, p) => k + p.length, 0));
      let offset = 0;
      for (const p of parts) {
        out.set(p, offset);
        offset += p.length;
      }
      return out;
    });
    return { loss, predictions };
  }

  /** `update: 'main'`: this thread's optimizer updates the model; the workers receive the new weights. */
  #applyOnMain(grads: Float32Array, present: boolean[], stats: Float32Array | null): void {
    const weights = this.model.trainableWeights;
    const updates: { path: string; variable: tf.Variable; gradient: tf.Tensor }[] = [];
    let offset = 0;
    weights.forEach((w, i) => {
      if (!present[i]) return;
      updates.push({ path: w.path, variable: w.variable, gradient: tf.tensor(grads.subarray(offset, offset + w.variable.size), w.variable.shape, 'float32') });
      offset += w.variable.size;
    });
    try {
      if (weights.length > 0) this.model.compiled!.optimizer.applyGradients(updates);
    } finally {
      tf.dispose(updates.map((u) => u.gradient));
    }
    const fixed = this.model.namedWeights().filter((w) => !w.trainable).map((w) => w.variable);
    if (stats !== null) assignValues(fixed, stats);
    const trainable = concatValues(weights.map((w) => w.variable));
    for (const link of this.#links) link.send({ type: 'weights', trainable, stats });
  }

  /**
   * Writes the replicas' weights and optimizer state into the model and advances the
   * model's layer streams (so the next epoch's dropout masks differ, and a checkpoint
   * written now resumes exactly).
   */
  async end(): Promise<void> {
    if (!this.#loaded) return;
    const drawn = await this.#writeBack();
    for (const name of drawn) {
      const rng = this.model.rngFor(name);
      rng.setState(rng.fork('data-parallel/next-epoch').getState());
    }
    this.#loaded = false;
  }

  /**
   * Writes the replicas' weights and optimizer state into the model inside an epoch
   * (for a backup); the workers go on as they were. The model's streams are left at
   * the epoch's start: the workers fork each step's masks from them and the step index.
   */
  async sync(): Promise<void> {
    if (!this.#loaded) return;
    await this.#writeBack();
  }

  /** Copies worker 1's weights and optimizer state into the model; returns the streams the workers drew from. */
  async #writeBack(): Promise<string[]> {
    this.#check();
    const fromWorkers = this.update === 'workers';
    const m = expectReply(await this.#links[0].request({ type: 'state', weights: fromWorkers }), 'state');
    if (fromWorkers) {
      const named = this.model.namedWeights();
      const values = new Map<string, tf.Tensor>();
      let offset = 0;
      for (const w of named) {
        values.set(w.path, tf.tensor(m.weights!.subarray(offset, offset + w.variable.size), w.variable.shape, 'float32'));
        offset += w.variable.size;
      }
      const slots = new Map(m.slots.map((s) => [s.key, tf.tensor(s.data, s.shape, 'float32')] as const));
      try {
        this.model.setWeights(values, 'DataParallelTrainer.end');
        const opt = this.model.compiled!.optimizer;
        opt.setState({ iterations: m.iterations, learningRate: opt.learningRate, slots });
      } finally {
        tf.dispose([...values.values(), ...slots.values()]);
      }
    }
    return m.streams;
  }

  /**
   * The weights one worker holds (by path), without touching the model; for checks
   * that the replicas agree.
   */
  async workerWeights(index: number): Promise<Map<string, Float32Array>> {
    this.#check();
    const link = this.#links[index];
    if (link === undefined) throw new CnnkitError('INVALID_ARGUMENT', `${this.#prefix()}.workerWeights: expected an index in 0..${this.#links.length - 1}, received ${index}`);
    const m = expectReply(await link.request({ type: 'state', weights: true }), 'state');
    const out = new Map<string, Float32Array>();
    let offset = 0;
    for (const w of this.model.namedWeights()) {
      out.set(w.path, m.weights!.slice(offset, offset + w.variable.size));
      offset += w.variable.size;
    }
    return out;
  }

  /** Terminates the workers. The trainer cannot be used afterwards. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const error = new CnnkitError('DISPOSED', `${this.#prefix()}: disposed`);
    for (const link of this.#links) link.rejectAll(error);
    await Promise.all(this.#links.map((l) => l.worker.terminate()));
    await Promise.all(this.#links.map((l) => l.exit));
  }

  /** Resolves once every worker thread has exited (after `dispose()` or a failure). */
  async stopped(): Promise<void> {
    await Promise.all(this.#links.map((l) => l.exit));
  }
}

/**
 * Creates a data-parallel training engine for `model` (compiling it with
 * `compileArgs` when given) and starts its workers. Hand it to `fit` as `engine`, and
 * `dispose()` it when done.
 *
 * @example
 * ```ts
 * import { wasmBackend } from '@cnnkit/backend-wasm';
 * const trainer = await createDataParallelTrainer(model, { optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] }, { backend: wasmBackend(), workers: 2 });
 * try {
 *   await model.fit(batches, { epochs: 10, engine: trainer });
 * } finally {
 *   await trainer.dispose();
 * }
 * ```
 */
export async function createDataParallelTrainer(model: Model, compileArgs: CompileArgs | undefined, options: DataParallelOptions): Promise<DataParallelTrainer> {
  if (compileArgs !== undefined) model.compile(compileArgs);
  const trainer = new DataParallelTrainer(model, { ...options, workers: options.workers ?? (await defaultWorkerCount()) });
  try {
    await trainer.start();
  } catch (error) {
    await trainer.dispose();
    throw error;
  }
  return trainer;
}
