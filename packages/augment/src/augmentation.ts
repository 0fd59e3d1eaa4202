import { CnnkitError, createRng, tf, type Rng, type RngState } from '@cnnkit/tensor-core';
import { describeValue } from './errors.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, type CallOptions, type ImageShape, type ImageTransform } from './image-transform.js';
import { serializeTransform, transformFromConfig, type AnyTransform, type SerializedTransform } from './transform-from-config.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface AugmentationOptions {
  name?: string;
  /**
   * One seed for the whole pipeline: every call draws all layers' parameters, in order,
   * from one stream seeded here. Without it each layer uses its own seeded stream.
   */
  seed?: number | null;
}

export interface AugmentationConfig {
  name: string;
  seed: number | null;
  layers: SerializedTransform[];
}

/** The random streams of a pipeline, for checkpoints: restore them to replay the same draws. */
export interface AugmentationRngState {
  pipeline: RngState | null;
  /** One entry per layer; `null` for layers that draw nothing (crop, resize). */
  layers: (RngState | null)[];
}

/** A dataset batch: images plus whatever else travels with them (labels, file names). */
export interface ImageBatch {
  images: tf.Tensor4D;
}

/**
 * A sequence of transforms applied in order, like the tutorial's
 * `keras.Sequential([RandomFlip("horizontal"), RandomRotation(0.1)])`. Usable as a dataset
 * map (`map`) and, through its `ImageTransform` interface, as a model layer.
 */
export class Augmentation implements ImageTransform {
  readonly className = 'Augmentation';
  readonly name: string;
  readonly seed: number | null;
  readonly layers: readonly AnyTransform[];
  readonly #rng: Rng | null;

  constructor(layers: readonly AnyTransform[], options: AugmentationOptions = {}) {
    if (!Array.isArray(layers)) {
      throw new CnnkitError('BAD_OPTION', `augmentation: expected an array of transforms, received ${describeValue(layers)}`);
    }
    layers.forEach((layer, i) => {
      if (layer === null || typeof layer !== 'object' || typeof layer.call !== 'function') {
        throw new CnnkitError('BAD_OPTION', `augmentation: expected transform ${i} to be a transform such as RandomFlip, received ${describeValue(layer)}`);
      }
    });
    this.name = options.name ?? defaultName('Augmentation');
    this.seed = options.seed ?? null;
    this.layers = [...layers];
    this.#rng = this.seed === null ? null : createRng(this.seed).fork('augmentation');
  }

  /** @example `Augmentation.fromConfig(JSON.parse(text))` */
  static fromConfig(config: AugmentationConfig): Augmentation {
    if (config === null || typeof config !== 'object' || !Array.isArray(config.layers)) {
      throw new CnnkitError('BAD_CONFIG', `Augmentation.fromConfig: expected { name, seed, layers: [...] }, received ${describeValue(config)}`);
    }
    return new Augmentation(config.layers.map(transformFromConfig), { name: config.name, seed: config.seed });
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): AugmentationConfig {
    return { name: this.name, seed: this.seed, layers: this.layers.map(serializeTransform) };
  }

  computeOutputShape(inputShape: ImageShape): (number | null)[] {
    assertImageShape(this.className, inputShape);
    return this.layers.reduce<(number | null)[]>((shape, layer) => layer.computeOutputShape(shape), [...inputShape]);
  }

  /**
   * Applies the layers in order. Returns the input itself when every layer had nothing
   * to do (inference); intermediate results are disposed, the input never is.
   */
  call(images: tf.Tensor4D, options: CallOptions): tf.Tensor4D {
    assertImages(this.className, images);
    const rng = options.rng ?? this.#rng ?? undefined;
    let current = images;
    for (const layer of this.layers) {
      const next = layer.call(current, rng === undefined ? { training: options.training } : { training: options.training, rng });
      if (current !== images && current !== next) current.dispose();
      current = next;
    }
    return current;
  }

  /**
   * A dataset map: `(batch) => batch` with augmented images (training mode). Like tfjs-data's
   * map, it consumes its input: the incoming images tensor is disposed once replaced.
   *
   * @example
   * ```ts
   * const augment = augmentation([new RandomFlip({ mode: 'horizontal' }), new RandomRotation({ factor: 0.1 })], { seed: 1337 });
   * const trainBatches = batches.map(augment.map);
   * ```
   */
  readonly map = <B extends ImageBatch>(batch: B): B => {
    const images = this.call(batch.images, { training: true });
    if (images !== batch.images) batch.images.dispose();
    return { ...batch, images };
  };

  getRngState(): AugmentationRngState {
    return {
      pipeline: this.#rng === null ? null : this.#rng.getState(),
      layers: this.layers.map((layer) => ('getRngState' in layer ? layer.getRngState() : null)),
    };
  }

  setRngState(state: AugmentationRngState): void {
    if (state === null || typeof state !== 'object' || !Array.isArray(state.layers) || state.layers.length !== this.layers.length) {
      throw new CnnkitError(
        'BAD_OPTION',
        `${this.className}.setRngState: expected { pipeline, layers } with ${this.layers.length} layer states, received ${describeValue(state)}`,
      );
    }
    if ((state.pipeline === null) !== (this.#rng === null)) {
      throw new CnnkitError(
        'BAD_OPTION',
        `${this.className}.setRngState: expected pipeline state ${this.#rng === null ? 'null (no pipeline seed)' : 'for the seeded pipeline'}, received ${describeValue(state.pipeline)}`,
      );
    }
    if (this.#rng !== null && state.pipeline !== null) this.#rng.setState(state.pipeline);
    this.layers.forEach((layer, i) => {
      const s = state.layers[i];
      if ('setRngState' in layer && s !== null) layer.setRngState(s);
    });
  }
}

/**
 * Composes transforms into one pipeline.
 *
 * @example
 * ```ts
 * const dataAugmentation = augmentation([
 *   new RandomFlip({ mode: 'horizontal' }),
 *   new RandomRotation({ factor: 0.1 }),
 * ], { seed: 1337 });
 * const out = dataAugmentation.call(images, { training: true });
 * ```
 */
export function augmentation(layers: readonly AnyTransform[], options: AugmentationOptions = {}): Augmentation {
  return new Augmentation(layers, options);
}
