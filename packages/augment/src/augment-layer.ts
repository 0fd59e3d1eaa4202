import { CnnkitError, ShapeError, tf } from '@cnnkit/tensor-core';
import { Layer, type CallContext, type LayerArgs, type Shape } from '@cnnkit/layers';
import { describeValue } from './errors.js';
import type { ImageTransform } from './image-transform.js';

/**
 * A model layer around any augment `ImageTransform` (RandomFlip, RandomRotation, ...,
 * or a whole `Augmentation` pipeline). Random transforms change images only in a
 * training step; at inference (`predict`, `evaluate`) they return their input.
 *
 * The random draws come from the model's stream for this layer (`ctx.rngFor(name)`),
 * not from the transform's own stream: the model owns every layer's stream, so
 * `saveCheckpoint`/`loadCheckpoint` store and restore the augmentation draws with the
 * dropout masks and a resumed run sees the same augmented images. A transform `seed`
 * seeds that stream (as Dropout's `seed` does); without one the model's seed and the
 * layer's name do, so runs are reproducible.
 *
 * @example
 * ```ts
 * const model = seedCnn({
 *   imageSize: [180, 180],
 *   numClasses: 2,
 *   augmentation: [new AugmentLayer(new RandomFlip({ mode: 'horizontal' })), new AugmentLayer(new RandomRotation({ factor: 0.1 }))],
 * });
 * ```
 */
export class AugmentLayer extends Layer {
  readonly className: string;
  readonly transform: ImageTransform;
  /**
   * How a data-parallel worker thread registers these classes (DataParallelTrainer reads
   * it): this package's own file URL, so it resolves whatever the install layout. Resolved
   * from src/ (tests) and dist/ alike: workers always run the compiled file.
   */
  readonly workerSetup = { module: new URL('../dist/register-augment-layers.js', import.meta.url).href, call: 'registerAugmentLayers' } as const;

  constructor(transform: ImageTransform, args: LayerArgs = {}) {
    if (transform === null || typeof transform !== 'object' || typeof transform.call !== 'function' || typeof transform.className !== 'string') {
      throw new CnnkitError('INVALID_ARGUMENT', `AugmentLayer: expected an ImageTransform such as new RandomFlip(), received ${describeValue(transform)}`);
    }
    // Named by the model (random_flip, random_flip_1, ... per model) unless the caller chose a
    // name: the transform's own default name counts across the process, and the layer's
    // random stream is keyed by its name, so that would make runs depend on what ran before.
    super(args);
    this.className = transform.className;
    this.transform = transform;
  }

  /** The transform's seed, read by `Model.rngFor` to seed this layer's stream. */
  get seed(): number | undefined {
    const seed = (this.transform as { seed?: number | null }).seed;
    return typeof seed === 'number' ? seed : undefined;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    if (inputShapes.length !== 1) {
      throw new ShapeError(`${this.label}: expected 1 input, received ${inputShapes.length}`);
    }
    return this.transform.computeOutputShape(inputShapes[0]);
  }

  call(inputs: readonly tf.Tensor[], ctx: CallContext): tf.Tensor {
    const images = inputs[0] as tf.Tensor4D;
    if (!ctx.training) return this.transform.call(images, { training: false });
    return this.transform.call(images, { training: true, rng: ctx.rngFor(this.name!) });
  }

  getConfig(): Record<string, unknown> {
    // The transform's own config, with the layer's name and trainable flag: the same
    // keys Keras 3 writes for its preprocessing layers, so model.json reads like Keras's.
    return { ...(this.transform.getConfig() as Record<string, unknown>), ...this.baseConfig() };
  }
}
