import { ShapeError, tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, type LayerArgs } from './layer.js';
import { formatKerasShape, type Shape } from '../utils/shape.js';

/**
 * Element-wise sum of two or more inputs of the same shape (Keras `Add`).
 *
 * @example
 * ```ts
 * const y = new Add().apply([a, b]);
 * ```
 */
export class Add extends Layer {
  readonly className = 'Add' as const;
  protected override readonly minInputs = 2;
  protected override readonly maxInputs = Number.POSITIVE_INFINITY;

  constructor(args: LayerArgs = {}) {
    const r = new ConfigReader('Add', args);
    const base = Layer.readBase(r);
    r.done();
    super(base);
  }

  static fromConfig(config: Record<string, unknown>): Add {
    return new Add(config as LayerArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const first = shapes[0];
    for (const s of shapes.slice(1)) {
      if (s.length !== first.length || s.some((d, i) => d !== first[i])) {
        throw new ShapeError(
          `${this.label}: expected inputs of one shape, received ${shapes.map(formatKerasShape).join(' and ')}`,
        );
      }
    }
    return first;
  }

  call(inputs: readonly tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((sum, t) => tf.add(sum, t), inputs[0]);
  }

  getConfig(): Record<string, unknown> {
    return this.baseConfig();
  }
}
