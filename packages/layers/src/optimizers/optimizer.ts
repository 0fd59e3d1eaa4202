import { CnnkitError, tf } from '@cnnkit/tensor-core';

export const OPTIMIZER_NAMES = ['SGD', 'RMSprop', 'Adam', 'AdamW'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** A weight and its gradient, by the weight's path. */
export interface GradientUpdate {
  readonly path: string;
  readonly variable: tf.Variable;
  readonly gradient: tf.Tensor;
}

/** Optimizer state for checkpoints: the step count, learning rate and every slot by `path/slot`. */
export interface OptimizerState {
  iterations: number;
  learningRate: number;
  slots: Map<string, tf.Tensor>;
}

/**
 * The base of the optimizers: per-weight slot variables (created on first use,
 * zero-initialised as in Keras 3), the step counter and a mutable learning rate
 * (callbacks such as ReduceLROnPlateau change it).
 */
export abstract class Optimizer {
  abstract readonly className: OptimizerName;
  learningRate: number;
  /** Completed update steps (Keras `iterations`). */
  iterations = 0;
  readonly #slots = new Map<string, tf.Variable>();

  constructor(learningRate: number) {
    this.learningRate = learningRate;
  }

  /** The slot `name` of weight `path`, created as zeros of the weight's shape. */
  protected slot(path: string, name: string, like: tf.Tensor): tf.Variable {
    const key = `${path}/${name}`;
    let v = this.#slots.get(key);
    if (v === undefined) {
      v = tf.variable(tf.zerosLike(like), false);
      this.#slots.set(key, v);
    }
    return v;
  }

  /**
   * One update of every weight from its gradient; runs in a tensor scope.
   *
   * @example
   * ```ts
   * optimizer.applyGradients([{ path: 'dense/kernel', variable, gradient }]);
   * ```
   */
  applyGradients(updates: readonly GradientUpdate[]): void {
    tf.tidy(() => {
      for (const u of updates) this.updateStep(u.path, u.variable, u.gradient, this.learningRate, this.iterations + 1);
    });
    this.iterations++;
  }

  /** The update of one weight; `step` counts from 1. */
  protected abstract updateStep(path: string, variable: tf.Variable, gradient: tf.Tensor, lr: number, step: number): void;

  /** Hyper-parameters, such that `createOptimizer({ className, config })` recreates the optimizer. */
  abstract getConfig(): Record<string, unknown>;

  /** Copies of the state (caller disposes the slot tensors). */
  getState(): OptimizerState {
    return {
      iterations: this.iterations,
      learningRate: this.learningRate,
      slots: new Map([...this.#slots].map(([k, v]) => [k, tf.clone(v)])),
    };
  }

  /** Restores a state saved by `getState` (a resumed run continues exactly). */
  setState(state: OptimizerState): void {
    if (!Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new CnnkitError('INVALID_STATE', `${this.className}.setState: expected iterations a non-negative integer, received ${state.iterations}`);
    }
    this.iterations = state.iterations;
    this.learningRate = state.learningRate;
    for (const v of this.#slots.values()) v.dispose();
    this.#slots.clear();
    for (const [k, t] of state.slots) {
      const value = tf.cast(t, 'float32');
      this.#slots.set(k, tf.variable(value, false));
      value.dispose();
    }
  }

  dispose(): void {
    for (const v of this.#slots.values()) v.dispose();
    this.#slots.clear();
  }
}
