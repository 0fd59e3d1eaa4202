import type { tf } from '@cnnkit/tensor-core';

/** What one engine step returns: the batch loss and the metric inputs (probabilities) of each output. */
export interface EngineStepResult {
  loss: number;
  /** Per output, `[batch * units]` probabilities in the output's shape order. */
  predictions: Float32Array[];
}

/**
 * Another engine that runs `fit`'s training steps (the ORT training engine) while
 * `fit` keeps its loop, callbacks, checkpoints and saved-model format. The engine
 * owns the weights during an epoch: `begin` reads the weights and optimizer state
 * from the model, `end` writes them back (before validation and epoch-end callbacks,
 * so checkpoints and early stopping see the trained weights).
 *
 * @example
 * ```ts
 * await model.fit(data, { epochs: 5, engine: await createOrtTrainer(model) });
 * ```
 */
export interface TrainingEngine {
  readonly name: string;
  /** `startStep`: the batches of this epoch already trained (a run resumed inside an epoch). */
  begin(startStep?: number): void | Promise<void>;
  step(xs: readonly tf.Tensor[], ys: readonly tf.Tensor[], classWeight?: Record<number, number>): Promise<EngineStepResult>;
  end(): void | Promise<void>;
  /**
   * Writes the weights and optimizer state into the model inside an epoch (for a
   * backup), leaving the engine as it was, so training on is unchanged by it.
   * Without it fit calls `end()` then `begin(step)`.
   */
  sync?(): Promise<void>;
}
