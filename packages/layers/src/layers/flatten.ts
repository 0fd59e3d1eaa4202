import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, shapeMessage, single, type LayerArgs } from './layer.js';
import type { Shape } from '../utils/shape.js';

/**
 * Flattens every axis but the batch (Keras `Flatten`): `[N, H, W, C]` → `[N, H*W*C]`.
 *
 * @example
 * ```ts
 * new Flatten()
 * ```
 */
export class Flatten extends Layer {
  readonly className = 'Flatten' as const;

  constructor(args: LayerArgs = {}) {
    const r = new ConfigReader('Flatten', args);
    const base = Layer.readBase(r);
    r.done();
    super(base);
  }

  static fromConfig(config: Record<string, unknown>): Flatten {
    return new Flatten(config as LayerArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const shape = single(this, shapes);
    const rest = shape.slice(1);
    if (shape.length < 2 || rest.some((d) => d === null)) {
      throw shapeMessage(this, 'an input of rank >= 2 whose non-batch dimensions are known', shape);
    }
    return [shape[0], (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return tf.reshape(x, [x.shape[0], -1]);
  }

  getConfig(): Record<string, unknown> {
    return this.baseConfig();
  }
}
