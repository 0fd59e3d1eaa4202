import { CnnkitError, ShapeError, createRng, tf, type Rng } from '@cnnkit/tensor-core';
import type { ConfigReader } from '../utils/config-reader.js';
import { initialize, type InitializerName } from '../initializers/initializers.js';
import { DEFAULT_LAYER_NAMES } from './layer-kinds.js';
import { formatKerasShape, type Shape } from '../utils/shape.js';

/** What a layer's `call` is told about the step it runs in. */
export interface CallContext {
  /** Training step (dropout active, batch statistics) or inference. */
  readonly training: boolean;
  /**
   * The random stream of the named layer (dropout masks). The model owns the
   * streams so that a checkpoint can store and restore them.
   */
  readonly rngFor: (layerName: string) => Rng;
}

/** One weight of a layer: its variable and whether the optimizer may change it. */
export interface LayerWeight {
  /** The weight's name within its layer (`kernel`, `bias`, `moving_mean`...). */
  readonly name: string;
  readonly variable: tf.Variable;
  /** False for statistics (BatchNormalization moving mean/variance). */
  readonly trainable: boolean;
}

/** Options every layer takes. */
export interface LayerArgs {
  /** Unique within a model; by default the model numbers it Keras-style (`conv2d_1`). */
  name?: string;
  /** False freezes the layer's weights (and puts BatchNormalization in inference mode). */
  trainable?: boolean;
}

/** A layer's serialised form: its class name and the arguments that recreate it. */
export interface LayerSpec {
  /** A built-in class (`LayerClassName`) or one added with `registerLayerClass`. */
  className: string;
  config: Record<string, unknown>;
}

let symbolicIds = 0;

/**
 * A placeholder for a tensor while a model's graph is defined: its shape (batch
 * `null`), the layer that produces it and that layer's inputs.
 */
export class SymbolicTensor {
  readonly id = symbolicIds++;
  constructor(
    readonly shape: Shape,
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
  ) {}
}

/**
 * The base of every layer. A layer infers its output shape from its input shapes
 * (throwing a `ShapeError` that names it when they cannot work), creates its
 * weights once the model knows its name, and computes its output in `call`.
 */
export abstract class Layer {
  /** The Keras class name: a `LayerClassName`, or a class added with `registerLayerClass`. */
  abstract readonly className: string;
  name: string | undefined;
  trainable: boolean;
  /** Set by `apply`: the symbolic inputs and output of this layer in its model. */
  inbound: readonly SymbolicTensor[] | null = null;
  output: SymbolicTensor | null = null;
  protected readonly weightList: LayerWeight[] = [];
  #built = false;
  /** Fewest and most inputs the layer accepts (merge layers take several). */
  protected readonly minInputs: number = 1;
  protected readonly maxInputs: number = 1;

  constructor(args: LayerArgs) {
    this.name = args.name;
    this.trainable = args.trainable ?? true;
  }

  /** Reads the options every layer has; subclasses call it from their own reader. */
  protected static readBase(reader: ConfigReader): LayerArgs {
    const name = reader.optionalString('name');
    if (name !== undefined && !/^[A-Za-z0-9_.\-]+$/.test(name)) {
      throw reader.error(`expected "name" of letters, digits, "_", "-" or ".", received "${name}"`);
    }
    return { name, trainable: reader.boolean('trainable', true) };
  }

  /** The prefix of automatic names: Keras's snake case of the class (`conv2d`, `max_pooling2d`). */
  get defaultName(): string {
    return (DEFAULT_LAYER_NAMES as Record<string, string>)[this.className] ?? snakeCase(this.className);
  }

  /** `Conv2D "conv2d_1"`, or just the class before the model named the layer. */
  get label(): string {
    return this.name === undefined ? this.className : `${this.className} "${this.name}"`;
  }

  /** The output shape for the given input shapes (batch dimension first, `null` if unknown). */
  abstract computeOutputShape(inputShapes: readonly Shape[]): Shape;

  /** Creates the weights for these input shapes. Layers without weights keep this empty. */
  protected build(_inputShapes: readonly Shape[], _rng: Rng): void {}

  /** The forward computation on concrete tensors. */
  abstract call(inputs: readonly tf.Tensor[], ctx: CallContext): tf.Tensor;

  /** The layer's arguments, such that `layerFromConfig({ className, config })` recreates it. */
  abstract getConfig(): Record<string, unknown>;

  protected baseConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable };
  }

  /** `{ className, config }`, the form stored in model.json. */
  toSpec(): LayerSpec {
    return { className: this.className, config: this.getConfig() };
  }

  get built(): boolean {
    return this.#built;
  }

  /**
   * Connects the layer to symbolic inputs and returns its symbolic output; the
   * shape check happens here, when the model is defined.
   *
   * @example
   * ```ts
   * const x = Input({ shape: [32, 32, 3] });
   * const y = new Conv2D({ filters: 8, kernelSize: 3 }).apply(x);
   * ```
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor {
    const list = inputs instanceof SymbolicTensor ? [inputs] : [...inputs];
    if (this.inbound !== null) {
      throw new CnnkitError(
        'LAYER_REUSED',
        `${this.label}: expected a layer applied once, received a second call; create a new layer instead (shared layers are not supported)`,
      );
    }
    if (list.length < this.minInputs || list.length > this.maxInputs) {
      const expected = this.minInputs === this.maxInputs ? `${this.minInputs}` : `${this.minInputs} or more`;
      throw new ShapeError(`${this.label}: expected ${expected} input${this.minInputs === 1 && this.maxInputs === 1 ? '' : 's'}, received ${list.length}`);
    }
    const shape = this.computeOutputShape(list.map((s) => s.shape));
    this.inbound = list;
    this.output = new SymbolicTensor(shape, this, list);
    return this.output;
  }

  /** Creates the weights (once). `rng` is used unless the layer has its own seed. */
  ensureBuilt(rng: Rng): void {
    if (this.#built) return;
    if (this.inbound === null) throw new CnnkitError('LAYER_NOT_CONNECTED', `${this.label}: expected the layer to be applied to an input before it is built`);
    this.build(
      this.inbound.map((s) => s.shape),
      rng,
    );
    this.#built = true;
  }

  protected addWeight(name: string, shape: number[], initializer: InitializerName, rng: Rng, trainable = true): tf.Variable {
    const value = initialize(initializer, shape, rng);
    // Unnamed: tfjs variable names are global to the engine, layer paths are per model.
    const variable = tf.variable(value, trainable);
    value.dispose();
    this.weightList.push({ name, variable, trainable });
    return variable;
  }

  /** A generator for this layer's initial weights: its own seed if it has one. */
  protected initRng(seed: number | undefined, fallback: Rng): Rng {
    return seed === undefined ? fallback : createRng(seed);
  }

  /** Every weight, trainable or not, in creation order. */
  get weights(): readonly LayerWeight[] {
    return this.weightList;
  }

  /** Weights the optimizer updates: none when the layer is frozen. */
  get trainableWeights(): LayerWeight[] {
    return this.trainable ? this.weightList.filter((w) => w.trainable) : [];
  }

  get nonTrainableWeights(): LayerWeight[] {
    return this.trainable ? this.weightList.filter((w) => !w.trainable) : [...this.weightList];
  }

  countParams(): number {
    return this.weightList.reduce((n, w) => n + w.variable.size, 0);
  }

  /** Frees the weight variables. */
  dispose(): void {
    for (const w of this.weightList) w.variable.dispose();
    this.weightList.length = 0;
    this.#built = false;
  }
}

/** Checks that a layer got exactly one input shape and returns it. */
export function single(layer: Layer, shapes: readonly Shape[]): Shape {
  if (shapes.length !== 1) throw new ShapeError(`${layer.label}: expected 1 input, received ${shapes.length}`);
  return shapes[0];
}

export function shapeMessage(layer: Layer, expected: string, received: Shape): ShapeError {
  return new ShapeError(`${layer.label}: expected ${expected}, received ${formatKerasShape(received)}`);
}

/** Keras's `to_snake_case`: `RandomFlip` → `random_flip`, `Conv2DTranspose` → `conv2d_transpose`. */
export function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
