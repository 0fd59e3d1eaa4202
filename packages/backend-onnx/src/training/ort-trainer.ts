import type { CompileArgs, EngineStepResult, Model, Optimizer, TrainingEngine } from '@cnnkit/layers';
import { permute } from '@cnnkit/onnx-proto';
import { CnnkitError, ShapeError, tf } from '@cnnkit/tensor-core';
import type * as Ort from 'onnxruntime-node';
import { compileTrainingGraph, type TrainingGraph } from './compile-training-graph.js';
import { toGraphLayout, toKerasLayout } from './layout.js';
import { count } from './lowering.js';
import { probeNchwcBlock } from './nchwc.js';
import { adamAlpha } from './optimizer-update.js';

export interface OrtTrainerOptions {
  /** onnxruntime intra-op threads. Default 2. */
  threads?: number;
  /** Default `extended` (measured: `all` is not faster with weights as graph inputs). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * `auto` (default): convolutions and pooling run on onnxruntime's blocked (NCHWc)
   * kernels when this CPU has them (`probeNchwcBlock`); `nchw`: standard ONNX operators only.
   */
  layout?: 'auto' | 'nchw';
  /** Bytes of convolution windows a filter gradient holds at once (default 4 MiB): see `TrainingGraphOptions.windowChunkBytes`. */
  windowChunkBytes?: number;
}

/** Images as a tensor or raw NHWC floats. */
export type StepInput = tf.Tensor | Float32Array;

/**
 * The ORT training engine: a compiled model's training step as one ONNX graph, one
 * `session.run` per batch. Weights and optimizer slots live in Float32Arrays between
 * steps (fed in, read out); `end()` writes them into the layers `Model` and its
 * optimizer (weights by path, slots by `path/slot`, iterations), so `saveModel`,
 * checkpoints and export see them; `begin()` reads them back (a resumed or
 * restored model continues from its state).
 *
 * Shapes are fixed per graph, so each distinct batch size (the last, smaller batch
 * of an epoch) gets its own graph and session, compiled on first use and cached —
 * exact, including batch-norm statistics, unlike zero-padding.
 */
export class OrtTrainer implements TrainingEngine {
  readonly name = 'onnx';
  readonly model: Model;
  readonly #ort: typeof Ort;
  readonly #options: Required<Omit<OrtTrainerOptions, 'windowChunkBytes'>> & Pick<OrtTrainerOptions, 'windowChunkBytes'>;
  readonly #graphs = new Map<number, { graph: TrainingGraph; session: Promise<Ort.InferenceSession> }>();
  /** Weights in graph layout by path. */
  #weights = new Map<string, Float32Array>();
  /** Optimizer slots by `path/slot`. */
  #slots = new Map<string, Float32Array>();
  #loaded = false;
  #layoutGraph: TrainingGraph | null = null;
  #block: Promise<number | null> | null = null;

  constructor(model: Model, ort: typeof Ort, options: OrtTrainerOptions = {}) {
    if (model.compiled === null) {
      throw new CnnkitError('NOT_COMPILED', `OrtTrainer: model "${model.name}" must be compiled first: model.compile({ optimizer, loss, metrics })`);
    }
    this.model = model;
    this.#ort = ort;
    this.#options = { threads: options.threads ?? 2, graphOptimizationLevel: options.graphOptimizationLevel ?? 'extended', layout: options.layout ?? 'auto', windowChunkBytes: options.windowChunkBytes };
  }

  get optimizer(): Optimizer {
    return this.model.compiled!.optimizer;
  }

  /** The graph and session for `batchSize` (compiled on first use). */
  async graphFor(batchSize: number): Promise<{ graph: TrainingGraph; session: Ort.InferenceSession }> {
    let entry = this.#graphs.get(batchSize);
    if (entry === undefined) {
      const c = this.model.compiled!;
      this.#block ??= this.#options.layout === 'nchw' ? Promise.resolve(null) : probeNchwcBlock(this.#ort);
      const nchwcBlock = await this.#block;
      // Another step may have compiled this batch size while the probe ran.
      const again = this.#graphs.get(batchSize);
      if (again !== undefined) return { graph: again.graph, session: await again.session };
      const graph = compileTrainingGraph(this.model, { loss: c.loss, optimizer: c.optimizer, batchSize, nchwcBlock, windowChunkBytes: this.#options.windowChunkBytes });
      const session = this.#ort.InferenceSession.create(graph.bytes, {
        intraOpNumThreads: this.#options.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: this.#options.graphOptimizationLevel,
      });
      entry = { graph, session };
      this.#graphs.set(batchSize, entry);
    }
    return { graph: entry.graph, session: await entry.session };
  }

  /**
   * Which weights and slots the graphs read, in graph layout. The same for every batch
   * size, so any compiled graph answers; before the first step one is compiled
   * without a session (no onnxruntime work for a batch size that may never run).
   */
  #layout(): TrainingGraph {
    const first = this.#graphs.values().next();
    if (!first.done) return first.value.graph;
    if (this.#layoutGraph === null) {
      const c = this.model.compiled!;
      this.#layoutGraph = compileTrainingGraph(this.model, { loss: c.loss, optimizer: c.optimizer, batchSize: 1 });
    }
    return this.#layoutGraph;
  }

  /** Reads the weights and optimizer slots from the model (missing slots start at zero, as Keras). */
  begin(): void {
    const graph = this.#layout();
    const values = this.model.getWeights();
    try {
      this.#weights = new Map(graph.params.map((p) => [p.path, toGraphLayout(values.get(p.path)!.dataSync(), p.kerasShape, p.layout)]));
    } finally {
      for (const t of values.values()) t.dispose();
    }
    const state = this.optimizer.getState();
    try {
      this.#slots = new Map();
      for (const s of graph.slots) {
        const p = graph.params.find((q) => q.path === s.path)!;
        const stored = state.slots.get(`${s.path}/${s.slot}`);
        this.#slots.set(`${s.path}/${s.slot}`, stored === undefined ? new Float32Array(count(p.graphShape)) : toGraphLayout(stored.dataSync(), p.kerasShape, p.layout));
      }
    } finally {
      for (const t of state.slots.values()) t.dispose();
    }
    this.#loaded = true;
  }

  /** Writes the weights and optimizer state into the model and its optimizer. */
  end(): void {
    if (!this.#loaded) return;
    const graph = this.#layout();
    const weights = new Map(graph.params.map((p) => [p.path, tf.tensor(toKerasLayout(this.#weights.get(p.path)!, p.kerasShape, p.layout), [...p.kerasShape])] as const));
    const slots = new Map(
      graph.slots.map((s) => {
        const p = graph.params.find((q) => q.path === s.path)!;
        return [`${s.path}/${s.slot}`, tf.tensor(toKerasLayout(this.#slots.get(`${s.path}/${s.slot}`)!, p.kerasShape, p.layout), [...p.kerasShape])] as const;
      }),
    );
    try {
      this.model.setWeights(weights, 'OrtTrainer.end');
      const opt = this.optimizer;
      opt.setState({ iterations: opt.iterations, learningRate: opt.learningRate, slots });
    } finally {
      for (const t of [...weights.values(), ...slots.values()]) t.dispose();
    }
  }

  /**
   * One training step on a batch (NHWC images as the model takes them, labels as
   * for `fit`); returns the loss and the probabilities for the metrics.
   *
   * @example
   * ```ts
   * const { loss } = await trainer.step([images], [labels]);
   * ```
   */
  async step(xs: readonly StepInput[], ys: readonly (tf.Tensor | Float32Array)[], classWeight?: Record<number, number>): Promise<EngineStepResult> {
    if (xs.length !== 1 || ys.length !== 1) throw new ShapeError(`OrtTrainer.step: expected one image tensor and one label tensor, received ${xs.length} and ${ys.length}`);
    if (!this.#loaded) this.begin();
    const images = xs[0] instanceof tf.Tensor ? (xs[0].dataSync() as Float32Array) : xs[0];
    const example = count(this.model.inputs[0].shape.slice(1) as number[]);
    const n = images.length / example;
    if (!Number.isInteger(n) || n < 1) {
      throw new ShapeError(`OrtTrainer.step: expected images of ${example} values each ([N, ${this.model.inputs[0].shape.slice(1)}]), received ${images.length} values`);
    }
    const { graph, session } = await this.graphFor(n);
    const ort = this.#ort;
    const labels = this.#labels(ys[0], n, graph);
    const feeds: Record<string, Ort.Tensor> = {
      [graph.names.image]: new ort.Tensor('float32', images instanceof Float32Array ? images : Float32Array.from(images), [n, ...graph.inputShape]),
      [graph.names.labels]: new ort.Tensor('float32', labels, [n, graph.units]),
      [graph.names.sampleWeight]: new ort.Tensor('float32', this.#sampleWeights(labels, n, graph.units, classWeight), [n]),
    };
    const opt = this.optimizer;
    const stepNumber = opt.iterations + 1;
    const adam = opt as Optimizer & { beta1?: number; beta2?: number };
    const alpha = adam.beta1 !== undefined && adam.beta2 !== undefined ? adamAlpha(opt.learningRate, adam.beta1, adam.beta2, stepNumber) : 0;
    feeds[graph.names.lr] = new ort.Tensor('float32', Float32Array.of(opt.learningRate), []);
    feeds[graph.names.alpha] = new ort.Tensor('float32', Float32Array.of(alpha), []);
    for (const p of graph.params) feeds[p.input] = new ort.Tensor('float32', this.#weights.get(p.path)!, p.graphShape as number[]);
    for (const s of graph.slots) {
      const p = graph.params.find((q) => q.path === s.path)!;
      feeds[s.input] = new ort.Tensor('float32', this.#slots.get(`${s.path}/${s.slot}`)!, p.graphShape as number[]);
    }
    for (const f of graph.feeds) feeds[f.input] = new ort.Tensor('float32', this.#dropoutMask(f), f.shape as number[]);
    const out = await session.run(feeds);
    for (const [path, name] of graph.updatedParams) this.#weights.set(path, out[name].data as Float32Array);
    for (const s of graph.slots) this.#slots.set(`${s.path}/${s.slot}`, out[s.output].data as Float32Array);
    opt.iterations = stepNumber;
    return { loss: (out[graph.names.loss].data as Float32Array)[0], predictions: [out[graph.names.predictions].data as Float32Array] };
  }

  /** Current weights in Keras layout by path (copies), without touching the model. */
  weights(): Map<string, Float32Array> {
    if (!this.#loaded) this.begin();
    const graph = this.#layout();
    return new Map(graph.params.map((p) => [p.path, toKerasLayout(this.#weights.get(p.path)!, p.kerasShape, p.layout)]));
  }

  /** Releases the sessions. */
  async dispose(): Promise<void> {
    for (const { session } of this.#graphs.values()) await (await session).release();
    this.#graphs.clear();
  }

  /** Labels as `[N, units]` floats; sparse class indices become one-hot rows. */
  #labels(y: tf.Tensor | Float32Array, n: number, graph: TrainingGraph): Float32Array {
    const values = y instanceof tf.Tensor ? y.dataSync() : y;
    if (graph.loss.name === 'sparse_categorical_crossentropy') {
      if (values.length !== n) throw new ShapeError(`OrtTrainer.step: expected ${n} integer labels for sparse_categorical_crossentropy, received ${values.length}`);
      const out = new Float32Array(n * graph.units);
      for (let i = 0; i < n; i++) out[i * graph.units + Math.round(values[i])] = 1;
      return out;
    }
    if (values.length !== n * graph.units) throw new ShapeError(`OrtTrainer.step: expected labels [${n}, ${graph.units}] (${n * graph.units} values), received ${values.length} values`);
    return values instanceof Float32Array ? values : Float32Array.from(values);
  }

  /** Per-example loss weights from `classWeight` (as the layers `fit`): ones without it. */
  #sampleWeights(labels: Float32Array, n: number, units: number, classWeight?: Record<number, number>): Float32Array {
    const out = new Float32Array(n).fill(1);
    if (classWeight === undefined) return out;
    for (let i = 0; i < n; i++) {
      let cls = 0;
      if (units > 1) {
        for (let j = 1; j < units; j++) if (labels[i * units + j] > labels[i * units + cls]) cls = j;
      } else {
        cls = Math.round(labels[i]);
      }
      const w = classWeight[cls];
      if (w === undefined) throw new CnnkitError('INVALID_ARGUMENT', `fit: classWeight has no weight for class ${cls}; given: ${Object.keys(classWeight).join(', ')}`);
      out[i] = w;
    }
    return out;
  }

  /** A dropout mask drawn from the layer's stream exactly as the layers Dropout draws it (Keras order), then laid out for the graph. */
  #dropoutMask(f: TrainingGraph['feeds'][number]): Float32Array {
    const rng = this.model.rngFor(f.layerName);
    const keep = 1 / (1 - f.rate);
    const mask = new Float32Array(count(f.kerasShape));
    for (let i = 0; i < mask.length; i++) mask[i] = rng.next() >= f.rate ? keep : 0;
    return f.layout === 'NCHW' ? permute(mask, f.kerasShape, [0, 3, 1, 2]).values : mask;
  }
}

/**
 * Creates the ORT training engine for `model` (compiling it with `compileArgs` when
 * given). Use it directly (`step`) or hand it to `fit` as `engine`.
 *
 * @example
 * ```ts
 * const trainer = await createOrtTrainer(model, { optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 * await model.fit(batches, { epochs: 10, engine: trainer });
 * await saveModel(model, 'run/model');
 * ```
 */
export async function createOrtTrainer(model: Model, compileArgs?: CompileArgs, options: OrtTrainerOptions = {}): Promise<OrtTrainer> {
  if (compileArgs !== undefined) model.compile(compileArgs);
  const ort = await import('onnxruntime-node');
  return new OrtTrainer(model, ort, options);
}
