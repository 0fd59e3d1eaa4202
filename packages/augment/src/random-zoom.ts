import { type RngState, tf } from '@cnnkit/tensor-core';
import { zoomTransform } from './affine.js';
import { copyFactor, factorRange, symmetric, type Factor } from './factor.js';
import { resolveFill, type FillOptions } from './fill-mode.js';
import { assertImageShape, assertImages } from './image-checks.js';
import { defaultName, TransformRng, type CallOptions, type ImageShape, type RandomImageTransform } from './image-transform.js';
import { sampleProjective } from './sample-projective.js';
import type { LayerArgs } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';

export interface RandomZoomConfig extends FillOptions {
  name: string;
  /**
   * Zoom range as a fraction of the size, in [-1, 1]: `0.2` zooms by a random amount in
   * `[-20%, +20%]`. Positive zooms out (shows more), negative zooms in.
   */
  heightFactor: Factor;
  /** Like `heightFactor` for the width; `null` keeps the aspect ratio (same zoom as the height). */
  widthFactor: Factor | null;
  seed: number | null;
}

const RULE = { min: -1, max: 1, scalar: symmetric };

/**
 * Zooms each image in or out by its own random amount about its centre (Keras `RandomZoom`).
 *
 * @example
 * ```ts
 * const zoom = new RandomZoom({ heightFactor: 0.2, seed: 3 });
 * const out = zoom.call(images, { training: true });
 * ```
 */
export class RandomZoom implements RandomImageTransform {
  readonly className = 'RandomZoom';
  readonly name: string;
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  readonly fill: FillOptions;
  readonly #heightRange: [number, number];
  readonly #widthRange: [number, number] | null;
  readonly #rng: TransformRng;

  constructor(options: Partial<RandomZoomConfig> & { heightFactor: Factor }) {
    this.name = options.name ?? defaultName(this.className);
    this.#heightRange = factorRange(this.className, 'heightFactor', options.heightFactor, RULE);
    this.heightFactor = copyFactor(options.heightFactor);
    const wf = options.widthFactor ?? null;
    this.#widthRange = wf === null ? null : factorRange(this.className, 'widthFactor', wf, RULE);
    this.widthFactor = wf === null ? null : copyFactor(wf);
    this.fill = resolveFill(this.className, options);
    this.#rng = new TransformRng(options.seed, this.className);
  }

  get seed(): number | null {
    return this.#rng.seed;
  }

  /** @example `RandomZoom.fromConfig(zoom.getConfig())` */
  static fromConfig(config: RandomZoomConfig): RandomZoom {
    return new RandomZoom(config);
  }

  /** This transform as a model layer (what `Sequential.add` and `seedCnn`'s `augmentation` call). */
  toLayer(args?: LayerArgs): AugmentLayer {
    return new AugmentLayer(this, args);
  }

  getConfig(): RandomZoomConfig {
    return {
      name: this.name,
      heightFactor: copyFactor(this.heightFactor),
      widthFactor: this.widthFactor === null ? null : copyFactor(this.widthFactor),
      ...this.fill,
      seed: this.seed,
    };
  }

  computeOutputShape(inputShape: ImageShape): (number | null)[] {
    assertImageShape(this.className, inputShape);
    return [...inputShape];
  }

  call(images: tf.Tensor4D, options: CallOptions): tf.Tensor4D {
    assertImages(this.className, images);
    if (!options.training) return images;
    const rng = this.#rng.pick(options);
    const [n, h, w] = images.shape;
    const transforms = Array.from({ length: n }, () => {
      const zy = 1 + rng.uniform(this.#heightRange[0], this.#heightRange[1]);
      const zx = this.#widthRange === null ? zy : 1 + rng.uniform(this.#widthRange[0], this.#widthRange[1]);
      return zoomTransform(zy, zx, h, w);
    });
    return sampleProjective(images, transforms, this.fill);
  }

  getRngState(): RngState {
    return this.#rng.getState();
  }

  setRngState(state: RngState): void {
    this.#rng.setState(state);
  }
}
