import { CnnkitError } from '@cnnkit/tensor-core';
import { describe } from '../utils/config-reader.js';
import { InputLayer } from '../layers/input-layer.js';
import { Layer, type LayerSpec } from '../layers/layer.js';
import { layerFromConfig } from '../layers/layer-registry.js';
import { Model, type ModelConfig } from './model.js';

/**
 * A layer, or something that makes one: `@cnnkit/augment`'s transforms (`new RandomFlip()`)
 * go into a model as they do in Keras, wrapped by their own `toLayer()`.
 */
export type LayerLike = Layer | { toLayer(): Layer };

/** The layer a {@link LayerLike} stands for; one clear error for anything else. */
export function toLayer(value: LayerLike, operation: string): Layer {
  if (value instanceof Layer) return value;
  const maker = (value as { toLayer?: unknown } | null)?.toLayer;
  if (typeof maker === 'function') {
    const layer: unknown = maker.call(value);
    if (layer instanceof Layer) return layer;
    throw new CnnkitError('INVALID_ARGUMENT', `${operation}: toLayer() of ${describe(value)} returned ${describe(layer)}, expected a Layer`);
  }
  throw new CnnkitError(
    'INVALID_ARGUMENT',
    `${operation}: expected a Layer (e.g. new Conv2D({...})) or an augment transform (e.g. new RandomFlip()), received ${describe(value)}`,
  );
}

export interface SequentialArgs {
  /** Layers in order; the first must be an InputLayer unless `inputShape` is given. Augment transforms are wrapped as layers. */
  layers?: LayerLike[];
  /** Shape of one example (no batch): adds the InputLayer for you. */
  inputShape?: number[];
  /** Default `sequential`. */
  name?: string;
  /** Seeds the weight initializers and dropout streams. Default 0. */
  seed?: number;
  /** Create no weights until `buildWeights()` (see `ModelArgs.deferBuild`). */
  deferBuild?: boolean;
}

/**
 * A stack of single-input, single-output layers (Keras `Sequential`).
 *
 * @example
 * ```ts
 * const model = new Sequential({ inputShape: [28, 28, 1] })
 *   .add(new Conv2D({ filters: 8, kernelSize: 3, activation: 'relu' }))
 *   .add(new Flatten())
 *   .add(new Dense({ units: 10, activation: 'softmax' }));
 * // Augmentation goes in as in Keras: .add(new RandomFlip({ mode: 'horizontal' })) (from @cnnkit/augment).
 * ```
 */
export class Sequential extends Model {
  override readonly className = 'Sequential' as const;

  constructor(args: SequentialArgs = {}) {
    super({ name: args.name ?? 'sequential', seed: args.seed ?? 0, sequential: true, deferBuild: args.deferBuild });
    if (args.inputShape !== undefined) this.add(new InputLayer({ shape: args.inputShape }));
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** Appends a layer (or an augment transform, as its layer); its shape is checked against the current output at once. Returns the model. */
  add(layerLike: LayerLike): this {
    const layer = toLayer(layerLike, `Sequential "${this.name}".add`);
    if (this.outputs.length === 0) {
      if (!(layer instanceof InputLayer)) {
        throw new CnnkitError(
          'INVALID_MODEL',
          `Sequential "${this.name}": expected an InputLayer (or the inputShape option) before ${layer.label}, so shapes can be checked`,
        );
      }
      this.addLayerToGraph(layer);
      this.inputs = [layer.output!];
      this.outputs = [layer.output!];
      return this;
    }
    if (layer instanceof InputLayer) {
      throw new CnnkitError('INVALID_MODEL', `Sequential "${this.name}": expected an InputLayer only as the first layer, received another`);
    }
    const output = layer.apply(this.outputs[0]);
    this.addLayerToGraph(layer);
    this.outputs = [output];
    return this;
  }

  override getConfig(): ModelConfig {
    return { className: 'Sequential', config: { name: this.name, seed: this.seed, layers: this.layers.map((l) => l.toSpec()) } };
  }
}

/** Rebuilds a Sequential model from its config (see `modelFromJson`). */
export function sequentialFromConfig(config: Record<string, unknown>, source: string, deferBuild = false): Sequential {
  const { layers, name, seed } = config;
  if (!Array.isArray(layers)) {
    throw new CnnkitError('INVALID_CONFIG', `${source}: expected "layers" to be a list, received ${describe(layers)}`);
  }
  const model = new Sequential({ name: typeof name === 'string' ? name : undefined, seed: typeof seed === 'number' ? seed : undefined, deferBuild });
  for (const spec of layers as LayerSpec[]) model.add(layerFromConfig(spec));
  return model;
}
