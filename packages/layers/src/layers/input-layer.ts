import { tf } from '@cnnkit/tensor-core';
import { ConfigReader } from '../utils/config-reader.js';
import { Layer, SymbolicTensor, type LayerArgs } from './layer.js';
import type { Shape } from '../utils/shape.js';

export interface InputLayerArgs extends LayerArgs {
  /** The shape of one example, without the batch dimension (e.g. `[180, 180, 3]`). */
  shape: readonly number[];
}

/** The entry of a model: holds the input shape and passes its tensor on. */
export class InputLayer extends Layer {
  readonly className = 'InputLayer' as const;
  readonly shape: readonly number[];
  protected override readonly minInputs = 0;
  protected override readonly maxInputs = 0;

  constructor(args: InputLayerArgs) {
    const r = new ConfigReader('InputLayer', args);
    const base = Layer.readBase(r);
    const shape = r.shape('shape', false) as number[];
    r.done();
    super(base);
    this.shape = shape;
    this.inbound = [];
    this.output = new SymbolicTensor([null, ...shape], this, []);
  }

  static fromConfig(config: Record<string, unknown>): InputLayer {
    return new InputLayer(config as unknown as InputLayerArgs);
  }

  computeOutputShape(): Shape {
    return [null, ...this.shape];
  }

  call(inputs: readonly tf.Tensor[]): tf.Tensor {
    return inputs[0];
  }

  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), shape: [...this.shape] };
  }
}

/**
 * A model input: the symbolic tensor of a new InputLayer.
 *
 * @example
 * ```ts
 * const image = Input({ shape: [180, 180, 3] });
 * ```
 */
export function Input(args: InputLayerArgs): SymbolicTensor {
  return new InputLayer(args).output!;
}
