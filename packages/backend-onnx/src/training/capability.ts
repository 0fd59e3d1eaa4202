import type { LossName, OptimizerName } from '@cnnkit/layers';
import { ORT_TRAINABLE_LAYERS } from './trainable-layers.js';

// Spelled out, not imported: the inference-only plugin reads this without loading @cnnkit/layers.
const OPTIMIZERS = ['SGD', 'RMSprop', 'Adam', 'AdamW'] as const satisfies readonly OptimizerName[];
const LOSSES = ['binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'mean_squared_error'] as const satisfies readonly LossName[];

/** What the ORT training engine can train, for the `onnx` backend plugin's capabilities and `cnnkit backends`. */
export interface OrtTrainingSupport {
  readonly training: true;
  readonly layers: readonly string[];
  readonly optimizers: readonly string[];
  readonly losses: readonly string[];
  /** How the last, smaller batch of an epoch is handled. */
  readonly partialBatches: 'own-session';
}

/**
 * The training capability of the `onnx` backend: the plugin reports `training: true`
 * from here, so it tracks what this engine really compiles.
 *
 * @example
 * ```ts
 * capabilities: () => ({ device: 'cpu', inference: true, threads: 2, training: ortTrainingSupport().training })
 * ```
 */
export function ortTrainingSupport(): OrtTrainingSupport {
  return { training: true, layers: ORT_TRAINABLE_LAYERS, optimizers: OPTIMIZERS, losses: LOSSES, partialBatches: 'own-session' };
}
