import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, single, type LayerArgs } from './layer.js';
import { expectImage, type Shape } from '../utils/shape.js';

export interface GlobalPooling2DArgs extends LayerArgs {
  /** Keep the spatial axes as size 1. Default false. */
  keepdims?: boolean;
}

/** What the two global poolings share: reducing height and width. */
export abstract class GlobalPooling2D extends Layer {
  readonly keepdims: boolean;

  constructor(className: string, args: GlobalPooling2DArgs) {
    const r = new ConfigReader(className, args);
    const base = Layer.readBase(r);
    const keepdims = r.boolean('keepdims', false);
    r.done();
    super(base);
    this.keepdims = keepdims;
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const [n, , , c] = expectImage(this.label, single(this, shapes));
    return this.keepdims ? [n, 1, 1, c] : [n, c];
  }

  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), keepdims: this.keepdims };
  }
}

/**
 * Mean over height and width (Keras `GlobalAveragePooling2D`): `[N, H, W, C]` → `[N, C]`.
 *
 * @example
 * ```ts
 * new GlobalAveragePooling2D()
 * ```
 */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D' as const;

  constructor(args: GlobalPooling2DArgs = {}) {
    super('GlobalAveragePooling2D', args);
  }

  static fromConfig(config: Record<string, unknown>): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(config as GlobalPooling2DArgs);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return tf.mean(x, [1, 2], this.keepdims);
  }
}

/**
 * Maximum over height and width (Keras `GlobalMaxPooling2D`).
 *
 * @example
 * ```ts
 * new GlobalMaxPooling2D()
 * ```
 */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = 'GlobalMaxPooling2D' as const;

  constructor(args: GlobalPooling2DArgs = {}) {
    super('GlobalMaxPooling2D', args);
  }

  static fromConfig(config: Record<string, unknown>): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(config as GlobalPooling2DArgs);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return tf.max(x, [1, 2], this.keepdims);
  }
}
