import { tf } from '@cnnkit/tensor-core';
import { ACTIVATION_NAMES, applyActivation, type ActivationName } from '../activations/activations.js';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, single, type LayerArgs } from './layer.js';
import type { Shape } from '../utils/shape.js';

export interface ActivationArgs extends LayerArgs {
  activation: ActivationName;
}

/**
 * Applies a named activation (Keras `Activation`).
 *
 * @example
 * ```ts
 * new Activation({ activation: 'gelu' })
 * ```
 */
export class Activation extends Layer {
  readonly className = 'Activation' as const;
  readonly activation: ActivationName;

  constructor(args: ActivationArgs) {
    const r = new ConfigReader('Activation', args);
    const base = Layer.readBase(r);
    const activation = r.oneOf('activation', ACTIVATION_NAMES);
    r.done();
    super(base);
    this.activation = activation;
  }

  static fromConfig(config: Record<string, unknown>): Activation {
    return new Activation(config as unknown as ActivationArgs);
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    return single(this, shapes);
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return applyActivation(this.activation, x);
  }

  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), activation: this.activation };
  }
}
