import { CnnkitError, ShapeError, createRng, tf, type Rng, type RngState } from '@cnnkit/tensor-core';
import { describe } from '../utils/config-reader.js';
import { InputLayer } from '../layers/input-layer.js';
import { Layer, SymbolicTensor, type CallContext, type LayerSpec } from '../layers/layer.js';
import { layerFromConfig } from '../layers/layer-registry.js';
import { formatKerasShape, type Shape } from '../utils/shape.js';
import { formatSummary } from './summary.js';
import { compileModel, evaluateModel, fitModel, type CompileArgs, type CompiledState, type DataSource, type EvaluateOptions, type FitOptions, type NamedWeight } from '../training/trainer.js';

export type { NamedWeight } from '../training/trainer.js';
import type { History } from '../callbacks/history.js';


/** A layer in a functional config: its spec plus the names of the layers feeding it. */
export interface FunctionalLayerSpec extends LayerSpec {
  inbound: string[];
}

/** The architecture of a model as stored in model.json; `modelFromJson` reads it back. */
export type ModelConfig =
  | { className: 'Sequential'; config: { name: string; seed: number; layers: LayerSpec[] } }
  | {
      className: 'Functional';
      config: { name: string; seed: number; layers: FunctionalLayerSpec[]; inputLayers: string[]; outputLayers: string[] };
    };

export interface ModelArgs {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  /** Default `functional`. */
  name?: string;
  /** Seeds the weight initializers and the dropout streams. Default 0: runs are reproducible. */
  seed?: number;
  /**
   * Define the graph (names, shapes) but create no weights until `buildWeights()`: a
   * loader checks what the architecture would allocate before it allocates it.
   */
  deferBuild?: boolean;
}

export interface PredictOptions {
  /** Examples per forward pass. Default 32. */
  batchSize?: number;
}

/**
 * A model: a directed acyclic graph of layers from one or more inputs to one or
 * more outputs (Keras functional API). Layers without a name are numbered per
 * model, Keras-style (`conv2d`, `conv2d_1`, ...), in graph order.
 *
 * @example
 * ```ts
 * const x = Input({ shape: [32, 32, 3] });
 * const y = new Dense({ units: 2, activation: 'softmax' }).apply(new GlobalAveragePooling2D().apply(x));
 * const model = new Model({ inputs: x, outputs: y });
 * ```
 */
export class Model {
  readonly className: 'Functional' | 'Sequential' = 'Functional';
  readonly name: string;
  readonly seed: number;
  /** Every layer in execution order, input layers first. */
  readonly layers: Layer[] = [];
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  /** Set by a callback to end `fit` after the current epoch. */
  stopTraining = false;
  /** Set by `compile`. */
  compiled: CompiledState | null = null;
  /** The History of the latest `fit` (Keras `model.history`). */
  history: History | null = null;
  readonly #counters = new Map<string, number>();
  readonly #names = new Set<string>();
  readonly #streams = new Map<string, Rng>();
  /** Layers added while building was deferred, in graph order, waiting for `buildWeights()`. */
  #unbuilt: Layer[] | null = null;

  constructor(args: ModelArgs | { name?: string; seed?: number; sequential: true; deferBuild?: boolean }) {
    this.name = args.name ?? ('sequential' in args ? 'sequential' : 'functional');
    this.seed = args.seed ?? 0;
    if (args.deferBuild === true) this.#unbuilt = [];
    if (!Number.isFinite(this.seed)) throw new CnnkitError('INVALID_CONFIG', `${this.name}: expected a finite seed, received ${args.seed}`);
    if (!('sequential' in args)) this.#connect(toList(args.inputs), toList(args.outputs));
  }

  /** Builds the graph: orders the layers, names and builds them. */
  #connect(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    if (inputs.length === 0 || outputs.length === 0) {
      throw new CnnkitError('INVALID_MODEL', `model "${this.name}": expected at least one input and one output, received ${inputs.length} and ${outputs.length}`);
    }
    for (const input of inputs) {
      if (!(input.layer instanceof InputLayer)) {
        throw new CnnkitError('INVALID_MODEL', `model "${this.name}": expected inputs made by Input(), received the output of ${input.layer.label}`);
      }
    }
    const order: Layer[] = [];
    const state = new Map<Layer, 'visiting' | 'done'>();
    const enter = (t: SymbolicTensor): boolean => {
      const layer = t.layer;
      if (state.get(layer) === 'done') return false;
      if (state.get(layer) === 'visiting') throw new CnnkitError('INVALID_MODEL', `model "${this.name}": the graph has a cycle through ${layer.label}`);
      state.set(layer, 'visiting');
      return true;
    };
    const leave = (t: SymbolicTensor): void => {
      const layer = t.layer;
      if (layer instanceof InputLayer && !inputs.some((i) => i.layer === layer)) {
        throw new CnnkitError(
          'INVALID_MODEL',
          `model "${this.name}": the outputs depend on an Input (${formatKerasShape(layer.output!.shape)}) that is not among the model's inputs`,
        );
      }
      state.set(layer, 'done');
      order.push(layer);
    };
    // Depth-first with an explicit stack: a model.json chain of 10,000 layers must not exhaust the call stack.
    const visit = (root: SymbolicTensor): void => {
      if (!enter(root)) return;
      const stack: { t: SymbolicTensor; next: number }[] = [{ t: root, next: 0 }];
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        if (frame.next < frame.t.inputs.length) {
          const parent = frame.t.inputs[frame.next++];
          if (enter(parent)) stack.push({ t: parent, next: 0 });
        } else {
          stack.pop();
          leave(frame.t);
        }
      }
    };
    for (const input of inputs) visit(input);
    for (const output of outputs) visit(output);
    this.inputs = inputs;
    this.outputs = outputs;
    for (const layer of order) this.addLayerToGraph(layer);
  }

  /** Names (if needed), checks uniqueness and builds one layer of the graph. */
  protected addLayerToGraph(layer: Layer): void {
    if (layer.name === undefined) {
      const prefix = layer.defaultName;
      let n = this.#counters.get(prefix) ?? 0;
      let candidate = n === 0 ? prefix : `${prefix}_${n}`;
      while (this.#names.has(candidate)) candidate = `${prefix}_${++n}`;
      this.#counters.set(prefix, n + 1);
      layer.name = candidate;
    } else if (this.#names.has(layer.name)) {
      throw new CnnkitError('DUPLICATE_LAYER_NAME', `model "${this.name}": expected unique layer names, "${layer.name}" is used twice`);
    }
    this.#names.add(layer.name);
    if (this.#unbuilt === null) layer.ensureBuilt(createRng(this.seed).fork(`init/${layer.name}`));
    else this.#unbuilt.push(layer);
    this.layers.push(layer);
  }

  /** True until `buildWeights()` for a model defined with `deferBuild`. */
  get weightsDeferred(): boolean {
    return this.#unbuilt !== null;
  }

  /**
   * Creates the weights of a model defined with `deferBuild` (the same values an
   * immediate build gives: each layer's initializer is seeded by its name). No-op otherwise.
   */
  buildWeights(): void {
    if (this.#unbuilt === null) return;
    const pending = this.#unbuilt;
    this.#unbuilt = null;
    for (const layer of pending) layer.ensureBuilt(createRng(this.seed).fork(`init/${layer.name}`));
  }

  /** The layer with this name. */
  getLayer(name: string): Layer {
    const layer = this.layers.find((l) => l.name === name);
    if (layer === undefined) {
      throw new CnnkitError('UNKNOWN_LAYER', `model "${this.name}": no layer named "${name}"; layers: ${this.layers.map((l) => l.name).join(', ')}`);
    }
    return layer;
  }

  /** Input shapes, batch first (`null`). */
  get inputShapes(): Shape[] {
    return this.inputs.map((i) => i.shape);
  }

  get outputShapes(): Shape[] {
    return this.outputs.map((o) => o.shape);
  }

  /** The random stream of a layer (dropout): seeded by the layer's seed or the model's seed and the layer's name. */
  rngFor(layerName: string): Rng {
    let rng = this.#streams.get(layerName);
    if (rng === undefined) {
      const layer = this.getLayer(layerName) as Layer & { seed?: number };
      rng = layer.seed === undefined ? createRng(this.seed).fork(`stream/${layerName}`) : createRng(layer.seed);
      this.#streams.set(layerName, rng);
    }
    return rng;
  }

  /** States of the layers' random streams, for checkpoints. */
  getRngStates(): Record<string, RngState> {
    return Object.fromEntries([...this.#streams].map(([k, v]) => [k, v.getState()]));
  }

  setRngStates(states: Record<string, RngState>): void {
    for (const [name, state] of Object.entries(states)) this.rngFor(name).setState(state);
  }

  /** Every weight with its path, in layer order. */
  namedWeights(): NamedWeight[] {
    return this.layers.flatMap((l) =>
      l.weights.map((w) => ({ path: `${l.name}/${w.name}`, variable: w.variable, trainable: l.trainable && w.trainable })),
    );
  }

  get trainableWeights(): NamedWeight[] {
    return this.namedWeights().filter((w) => w.trainable);
  }

  countParams(): { total: number; trainable: number; nonTrainable: number } {
    const all = this.namedWeights();
    const total = all.reduce((n, w) => n + w.variable.size, 0);
    const trainable = all.filter((w) => w.trainable).reduce((n, w) => n + w.variable.size, 0);
    return { total, trainable, nonTrainable: total - trainable };
  }

  /** Copies of the weights by path (the caller disposes them). */
  getWeights(): Map<string, tf.Tensor> {
    return new Map(this.namedWeights().map((w) => [w.path, tf.clone(w.variable)]));
  }

  /** Sets weights by path. Every weight must be given, with its exact shape. */
  setWeights(values: ReadonlyMap<string, tf.Tensor>, source = 'setWeights'): void {
    const named = this.namedWeights();
    for (const w of named) {
      const v = values.get(w.path);
      if (v === undefined) {
        throw new CnnkitError('MISSING_WEIGHT', `${source}: missing weight "${w.path}" ${formatKerasShape(w.variable.shape)}`);
      }
      if (v.shape.length !== w.variable.shape.length || v.shape.some((d, i) => d !== w.variable.shape[i])) {
        throw new ShapeError(`${source}: expected weight "${w.path}" of shape ${formatKerasShape(w.variable.shape)}, received ${formatKerasShape(v.shape)}`);
      }
    }
    const known = new Set(named.map((w) => w.path));
    const extra = [...values.keys()].filter((k) => !known.has(k));
    if (extra.length > 0) {
      throw new CnnkitError('UNKNOWN_WEIGHT', `${source}: weights not in model "${this.name}": ${extra.join(', ')}`);
    }
    for (const w of named) {
      // assign() shares the value's data; the cast handle itself must not outlive it.
      const value = tf.cast(values.get(w.path)!, 'float32');
      w.variable.assign(value);
      value.dispose();
    }
  }

  /** Checks the count, shapes and dtype of concrete inputs against the model's inputs. */
  #checkInputs(xs: readonly tf.Tensor[], operation: string): tf.Tensor[] {
    if (xs.length !== this.inputs.length) {
      throw new ShapeError(`${operation}: model "${this.name}" expected ${this.inputs.length} input tensor(s), received ${xs.length}`);
    }
    return xs.map((x, i) => {
      const expected = this.inputs[i].shape;
      if (x.rank !== expected.length || expected.some((d, j) => d !== null && d !== x.shape[j])) {
        throw new ShapeError(
          `${operation}: model "${this.name}" expected input "${this.inputs[i].layer.name}" of shape ${formatKerasShape(expected)}, received ${formatKerasShape(x.shape)}`,
        );
      }
      return x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    });
  }

  /**
   * The forward pass on concrete tensors. `training` switches dropout and batch
   * statistics on. Call inside `scope` (or `tf.tidy`) to free intermediates.
   */
  call(xs: readonly tf.Tensor[], options: { training: boolean }, operation = 'call'): tf.Tensor[] {
    const inputs = this.#checkInputs(xs, operation);
    const values = new Map<number, tf.Tensor>();
    this.inputs.forEach((s, i) => values.set(s.id, inputs[i]));
    const ctx: CallContext = { training: options.training, rngFor: (name) => this.rngFor(name) };
    for (const layer of this.layers) {
      if (layer instanceof InputLayer) continue;
      const args = layer.inbound!.map((s) => values.get(s.id)!);
      values.set(layer.output!.id, layer.call(args, ctx));
    }
    return this.outputs.map((o) => values.get(o.id)!);
  }

  /**
   * Inference on inputs of any size, in batches of `batchSize` so memory stays bounded.
   * Returns one tensor per output (a single tensor for a single-output model).
   *
   * @example
   * ```ts
   * const probabilities = model.predict(images, { batchSize: 64 }) as tf.Tensor;
   * ```
   */
  predict(x: tf.Tensor | readonly tf.Tensor[], options: PredictOptions = {}): tf.Tensor | tf.Tensor[] {
    const xs = toList(x);
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new CnnkitError('INVALID_ARGUMENT', `predict: expected batchSize a positive integer, received ${batchSize}`);
    }
    const n = xs[0]?.shape[0] ?? 0;
    if (xs.some((t) => t.shape[0] !== n)) {
      throw new ShapeError(`predict: expected inputs with one batch size, received ${xs.map((t) => formatKerasShape(t.shape)).join(' and ')}`);
    }
    const chunks: tf.Tensor[][] = this.outputs.map(() => []);
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const outs = tf.tidy(() =>
        this.call(
          xs.map((t) => (start === 0 && size === n ? t : tf.slice(t, start, size))),
          { training: false },
          'predict',
        ),
      );
      outs.forEach((o, i) => chunks[i].push(o));
    }
    const results = chunks.map((parts) => {
      if (parts.length === 1) return parts[0];
      const joined = tf.concat(parts, 0);
      for (const p of parts) p.dispose();
      return joined;
    });
    return results.length === 1 ? results[0] : results;
  }

  /**
   * Sets the optimizer, loss and metrics for `fit` and `evaluate`.
   *
   * @example
   * ```ts
   * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
   * ```
   */
  compile(args: CompileArgs): void {
    this.compiled = compileModel(this, args);
  }

  /**
   * Trains the model (Keras `fit`). See `FitOptions`.
   *
   * @example
   * ```ts
   * const history = await model.fit(trainBatches, { epochs: 10, validationData: valBatches });
   * ```
   */
  fit(data: DataSource, options: FitOptions = {}): Promise<History> {
    // Here, not in the loop: the loop knows a model only by the parts it trains.
    for (const cb of options.callbacks ?? []) cb.setModel?.(this);
    return fitModel(this, data, options);
  }

  /**
   * Loss and metrics over a data set, in inference mode.
   *
   * @example
   * ```ts
   * const { loss, accuracy } = await model.evaluate(valBatches);
   * ```
   */
  evaluate(data: DataSource, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    return evaluateModel(this, data, options);
  }

  /**
   * Keras's summary table (layer, output shape, parameters, and for functional
   * models the inbound layers), followed by the parameter totals. Prints it with
   * `print` if given.
   *
   * @example
   * ```ts
   * model.summary(console.log);
   * ```
   */
  summary(print?: (line: string) => void): string {
    const text = formatSummary(this);
    if (print) for (const line of text.split('\n')) print(line);
    return text;
  }

  /** The architecture, as stored in model.json. */
  getConfig(): ModelConfig {
    return {
      className: 'Functional',
      config: {
        name: this.name,
        seed: this.seed,
        layers: this.layers.map((l) => ({ ...l.toSpec(), inbound: l.inbound!.map((s) => s.layer.name!) })),
        inputLayers: this.inputs.map((i) => i.layer.name!),
        outputLayers: this.outputs.map((o) => o.layer.name!),
      },
    };
  }

  /** Frees every weight and optimizer slot. */
  dispose(): void {
    for (const layer of this.layers) layer.dispose();
    this.compiled?.optimizer.dispose();
  }
}

function toList<T>(value: T | readonly T[]): T[] {
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** Rebuilds a functional model from its config (see `modelFromJson` for the public entry). */
export function functionalFromConfig(config: Record<string, unknown>, source: string, deferBuild = false): Model {
  const fail = (msg: string) => new CnnkitError('INVALID_CONFIG', `${source}: ${msg}`);
  const { layers, inputLayers, outputLayers, name, seed } = config;
  if (!Array.isArray(layers)) throw fail(`expected "layers" to be a list, received ${describe(layers)}`);
  if (!Array.isArray(inputLayers) || !Array.isArray(outputLayers)) throw fail('expected "inputLayers" and "outputLayers" lists of layer names');
  const byName = new Map<string, SymbolicTensor>();
  for (const [i, spec] of layers.entries()) {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw fail(`expected layers[${i}] to be { className, config, inbound }, received ${describe(spec)}`);
    const inbound = (spec as { inbound?: unknown }).inbound;
    if (!Array.isArray(inbound) || inbound.some((n) => typeof n !== 'string')) {
      throw fail(`expected layers[${i}].inbound to be a list of layer names, received ${describe(inbound)}`);
    }
    const { inbound: _ignored, ...rest } = spec as FunctionalLayerSpec;
    const layer = layerFromConfig(rest);
    if (layer.name === undefined) throw fail(`expected layers[${i}] (${layer.className}) to have a name`);
    if (byName.has(layer.name)) throw fail(`expected unique layer names, "${layer.name}" is used twice`);
    if (layer instanceof InputLayer) {
      byName.set(layer.name, layer.output!);
      continue;
    }
    const parents = (inbound as string[]).map((n) => {
      const t = byName.get(n);
      if (t === undefined) throw fail(`layer "${layer.name}" takes input from "${n}", which is not defined before it`);
      return t;
    });
    byName.set(layer.name, layer.apply(parents));
  }
  const pick = (names: unknown[], what: string) =>
    names.map((n) => {
      const t = typeof n === 'string' ? byName.get(n) : undefined;
      if (t === undefined) throw fail(`${what} names unknown layer ${describe(n)}; layers: ${[...byName.keys()].join(', ')}`);
      return t;
    });
  return new Model({
    inputs: pick(inputLayers, 'inputLayers'),
    outputs: pick(outputLayers, 'outputLayers'),
    name: typeof name === 'string' ? name : undefined,
    seed: typeof seed === 'number' ? seed : undefined,
    deferBuild,
  });
}
