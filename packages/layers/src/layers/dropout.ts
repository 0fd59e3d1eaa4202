import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, single, type CallContext, type LayerArgs } from './layer.js';
import type { Shape } from '../utils/shape.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of inputs set to zero during training, in [0, 1). */
  rate: number;
  /** Seed of the layer's own mask stream; by default derived from the model's seed and the layer name. */
  seed?: number;
}

/**
 * Zeroes a random fraction `rate` of its inputs while training and scales the
 * others by 1 / (1 - rate) ("inverted" dropout), so inference is the identity.
 * A fresh mask is drawn every step from the layer's seeded stream.
 *
 * @example
 * ```ts
 * new Dropout({ rate: 0.5 })
 * ```
 */
export class Dropout extends Layer {
  readonly className = 'Dropout' as const;
  readonly rate: number;
  readonly seed: number | undefined;

  constructor(args: DropoutArgs) {
    const r = new ConfigReader('Dropout', args);
    const base = Layer.readBase(r);
    const rate = r.number('rate', undefined, { min: 0, max: 1, maxExclusive: true });
    const seed = r.optionalNumber('seed');
    r.done();
    super(base);
    this.rate = rate;
    this.seed = seed;
  }

  static fromConfig(config: Record<string, unknown>): Dropout {
    return new Dropout(config as unknown as DropoutArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    return single(this, shapes);
  }

  call([x]: readonly tf.Tensor[], ctx: CallContext): tf.Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const rng = ctx.rngFor(this.name!);
    const keep = 1 / (1 - this.rate);
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.next() >= this.rate ? keep : 0;
    // The mask is a constant of the step: the gradient flows through Multiply only.
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  }

  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), rate: this.rate, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
