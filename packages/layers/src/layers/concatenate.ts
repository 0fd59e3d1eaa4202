import { ShapeError, tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, type LayerArgs } from './layer.js';
import { formatKerasShape, type Shape } from '../utils/shape.js';

export interface ConcatenateArgs extends LayerArgs {
  /** Default -1 (channels). */
  axis?: number;
}

/**
 * Joins two or more inputs along an axis (Keras `Concatenate`); all other
 * dimensions must agree.
 *
 * @example
 * ```ts
 * const y = new Concatenate().apply([a, b]);
 * ```
 */
export class Concatenate extends Layer {
  readonly className = 'Concatenate' as const;
  readonly axis: number;
  protected override readonly minInputs = 2;
  protected override readonly maxInputs = Number.POSITIVE_INFINITY;

  constructor(args: ConcatenateArgs = {}) {
    const r = new ConfigReader('Concatenate', args);
    const base = Layer.readBase(r);
    const axis = r.integer('axis', -1);
    r.done();
    super(base);
    this.axis = axis;
  }

  static fromConfig(config: Record<string, unknown>): Concatenate {
    return new Concatenate(config as ConcatenateArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    const bad = () =>
      new ShapeError(
        `${this.label}: expected inputs of one rank that agree on every axis but ${this.axis}, received ${shapes.map(formatKerasShape).join(' and ')}`,
      );
    if (axis < 1 || axis >= rank) {
      throw new ShapeError(`${this.label}: expected axis in 1..${rank - 1} (or negative), received ${this.axis} for inputs of rank ${rank}`);
    }
    let total: number | null = 0;
    for (const s of shapes) {
      if (s.length !== rank || s.some((d, i) => i !== axis && d !== shapes[0][i])) throw bad();
      total = total === null || s[axis] === null ? null : total + (s[axis] as number);
    }
    const out = [...shapes[0]];
    out[axis] = total;
    return out;
  }

  call(inputs: readonly tf.Tensor[]): tf.Tensor {
    return tf.concat([...inputs], this.axis < 0 ? inputs[0].rank + this.axis : this.axis);
  }

  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), axis: this.axis };
  }
}
