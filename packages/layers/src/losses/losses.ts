import { CnnkitError, ShapeError, tf } from '@cnnkit/tensor-core';
import { describe } from '../utils/config-reader.js';
import { formatKerasShape } from '../utils/shape.js';

/** Loss names (Keras). `mse` is an alias of `mean_squared_error`. */
export const LOSS_NAMES = [
  'binary_crossentropy',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'mean_squared_error',
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** A loss: its name and whether predictions are logits (Keras `from_logits`). */
export interface LossSpec {
  name: LossName;
  /** Default false: predictions are probabilities. Ignored by mean_squared_error. */
  fromLogits?: boolean;
}

/** Keras's `backend.epsilon()`: probabilities are clipped to [eps, 1 - eps]. */
export const EPSILON = 1e-7;

/**
 * Reads a loss given as a name (`'binary_crossentropy'`, `'mse'`) or a spec.
 *
 * @example
 * ```ts
 * resolveLoss({ name: 'sparse_categorical_crossentropy', fromLogits: true })
 * ```
 */
export function resolveLoss(loss: unknown): Required<LossSpec> {
  const spec = typeof loss === 'string' ? { name: loss === 'mse' ? 'mean_squared_error' : loss } : loss;
  const name = (spec as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || !(LOSS_NAMES as readonly string[]).includes(name)) {
    throw new CnnkitError('UNKNOWN_LOSS', `compile: unknown loss ${describe(loss)}; available: ${LOSS_NAMES.join(', ')}, mse (or { name, fromLogits })`);
  }
  const fromLogits = (spec as { fromLogits?: unknown }).fromLogits ?? false;
  if (typeof fromLogits !== 'boolean') throw new CnnkitError('INVALID_CONFIG', `compile: expected loss.fromLogits true or false, received ${describe(fromLogits)}`);
  return { name: name as LossName, fromLogits };
}

function labelsLike(operation: string, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  if (yTrue.size !== yPred.size) {
    throw new ShapeError(`${operation}: expected labels with as many values as the predictions ${formatKerasShape(yPred.shape)}, received ${formatKerasShape(yTrue.shape)}`);
  }
  const t = yTrue.dtype === 'float32' ? yTrue : tf.cast(yTrue, 'float32');
  return t.rank === yPred.rank ? t : tf.reshape(t, yPred.shape);
}

/**
 * The loss of each example, shape `[N]` (Keras's per-sample loss, before reduction).
 * Only kernels with registered gradients are used on the prediction's path.
 */
export function perExampleLoss(loss: Required<LossSpec>, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  switch (loss.name) {
    case 'binary_crossentropy': {
      const t = labelsLike('binary_crossentropy', yTrue, yPred);
      let elementwise: tf.Tensor;
      if (loss.fromLogits) {
        // max(x, 0) - x*t + log(1 + exp(-|x|)): stable for large |x|.
        elementwise = tf.add(tf.sub(tf.relu(yPred), tf.mul(yPred, t)), tf.log1p(tf.exp(tf.neg(tf.abs(yPred)))));
      } else {
        const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
        elementwise = tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
      }
      return tf.mean(elementwise, -1);
    }
    case 'categorical_crossentropy': {
      const t = labelsLike('categorical_crossentropy', yTrue, yPred);
      return categorical(t, yPred, loss.fromLogits);
    }
    case 'sparse_categorical_crossentropy': {
      const classes = yPred.shape[yPred.rank - 1];
      if (yTrue.size * classes !== yPred.size) {
        throw new ShapeError(
          `sparse_categorical_crossentropy: expected one integer label per prediction row of ${formatKerasShape(yPred.shape)}, received labels ${formatKerasShape(yTrue.shape)}`,
        );
      }
      // oneHot only touches the labels, which are not differentiated.
      const t = tf.reshape(tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), classes), yPred.shape);
      return categorical(t, yPred, loss.fromLogits);
    }
    case 'mean_squared_error': {
      const t = labelsLike('mean_squared_error', yTrue, yPred);
      return tf.mean(tf.squaredDifference(yPred, t), -1);
    }
    default: {
      const unknown: never = loss.name;
      throw new CnnkitError('UNKNOWN_LOSS', `loss: unknown ${String(unknown)}`);
    }
  }
}

function categorical(t: tf.Tensor, yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) return tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(yPred, -1)), -1));
  // As Keras: renormalise, clip, then cross-entropy.
  const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return tf.neg(tf.sum(tf.mul(t, tf.log(p)), -1));
}

/**
 * Keras 3's `sum_over_batch_size` reduction: the sum of (weighted) example losses
 * divided by the number of examples — not by the sum of the weights.
 *
 * @example
 * ```ts
 * const loss = computeLoss('binary_crossentropy', labels, probabilities);
 * ```
 */
export function computeLoss(loss: LossName | LossSpec | 'mse', yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
  const spec = resolveLoss(loss);
  return tf.tidy(() => reduceLoss(perExampleLoss(spec, yTrue, yPred), sampleWeight));
}

export function reduceLoss(perExample: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
  const flat = tf.reshape(perExample, [perExample.shape[0] ?? 1, -1]);
  const perRow = tf.mean(flat, 1);
  const weighted = sampleWeight === undefined ? perRow : tf.mul(perRow, tf.reshape(sampleWeight, [-1]));
  return tf.div(tf.sum(weighted), perRow.shape[0]) as tf.Scalar;
}
