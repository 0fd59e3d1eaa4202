import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, single, type LayerArgs } from './layer.js';
import type { Shape } from '../utils/shape.js';

export interface RescalingArgs extends LayerArgs {
  /** Multiplier, e.g. `1 / 255`. */
  scale: number;
  /** Added after scaling. Default 0. */
  offset?: number;
}

/**
 * `x * scale + offset` (Keras `Rescaling`): keeps the model's input raw 0..255 pixels.
 *
 * @example
 * ```ts
 * new Rescaling({ scale: 1 / 255 })
 * ```
 */
export class Rescaling extends Layer {
  readonly className = 'Rescaling' as const;
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    const r = new ConfigReader('Rescaling', args);
    const base = Layer.readBase(r);
    const scale = r.number('scale');
    const offset = r.number('offset', 0);
    r.done();
    super(base);
    this.scale = scale;
    this.offset = offset;
  }

  static fromConfig(config: Record<string, unknown>): Rescaling {
    return new Rescaling(config as unknown as RescalingArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    return single(this, shapes);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    const scaled = tf.mul(x, this.scale);
    return this.offset === 0 ? scaled : tf.add(scaled, this.offset);
  }

  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), scale: this.scale, offset: this.offset };
  }
}
