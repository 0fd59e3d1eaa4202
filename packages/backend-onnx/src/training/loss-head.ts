import type { LossSpec } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr, type GraphBuilder } from './graph-builder.js';
import type { GradWrt, Sym } from './lowering.js';

/** Keras's `backend.epsilon()`: probabilities are clipped to [eps, 1 - eps] in the loss value. */
const EPSILON = 1e-7;

export interface LossHead {
  /** The scalar batch loss (Keras `sum_over_batch_size` with sample weights). */
  readonly loss: string;
  /** What the metrics read: probabilities (sigmoid/softmax of logits when the loss takes logits). */
  readonly predictions: string;
  /** The gradient that starts the backward pass, and what it is the gradient of. */
  readonly grad: string;
  readonly wrt: GradWrt;
}

/**
 * The loss value and the closed form of its gradient. Sigmoid + binary cross-entropy
 * and softmax + categorical cross-entropy give `(p Σy - y) w_n / N` (divided by the
 * units for the per-unit mean of BCE) with respect to the pre-activation, as the
 * product of the chain rule simplifies (the wasm engine differentiates the clipped
 * loss, which only differs where p is within 1e-7 of 0 or 1). Mean squared error
 * gives `2 (p - y) w_n / (N units)` with respect to the output.
 *
 * `labels` is `[N, units]` float (sparse labels are one-hot encoded by the trainer);
 * `sampleWeight` is `[N]`.
 */
export function emitLossHead(
  b: GraphBuilder,
  loss: Required<LossSpec>,
  head: { activation: string; preActivation: Sym; output: Sym } | null,
  out: Sym,
  labels: string,
  sampleWeight: string,
): LossHead {
  if (out.layout !== 'flat' || out.shape.length !== 2) {
    throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: the ORT training engine expects a [batch, units] model output, received shape [${out.shape}]`);
  }
  const [n, units] = out.shape;
  const sw = b.op('Reshape', [sampleWeight, b.int64('shape', [n, 1])], 'loss/sw');
  const reduce = (perRow: string): string => {
    const weighted = b.op('Mul', [perRow, sw], 'loss/weighted');
    return b.op('Mul', [b.op('ReduceSum', [weighted], 'loss/sum', [attr.int('keepdims', 0)]), b.scalar(1 / n)], 'loss/value');
  };
  const rowScale = (divisor: number) => b.op('Mul', [sw, b.scalar(1 / divisor)], 'loss/row_scale');
  const need = (activation: string, what: string): Sym => {
    if (head === null || head.activation !== activation) {
      throw new CnnkitError(
        'UNSUPPORTED_LAYER',
        `compileTrainingGraph: loss ${what} needs the last layer to be Dense or Conv2D with activation "${activation}", received ${head === null ? 'a layer without activation' : `activation "${head.activation}"`}`,
      );
    }
    return head.preActivation;
  };
  const rowMean = (elementwise: string) => b.op('ReduceMean', [elementwise], 'loss/row_mean', [attr.ints('axes', [1]), attr.int('keepdims', 1)]);
  const rowSum = (t: string, base: string) => b.op('ReduceSum', [t, b.int64('axes', [1])], base, [attr.int('keepdims', 1)]);
  const y = labels;
  switch (loss.name) {
    case 'binary_crossentropy': {
      let p: string;
      let elementwise: string;
      if (loss.fromLogits) {
        const z = need('linear', 'binary_crossentropy (fromLogits)').name;
        p = b.op('Sigmoid', [z], 'loss/p');
        // max(z, 0) - z y + log(1 + exp(-|z|)), stable for large |z| (as the layers loss).
        const softplus = b.op('Softplus', [b.op('Neg', [b.op('Abs', [z], 'loss/abs')], 'loss/neg_abs')], 'loss/softplus');
        elementwise = b.op('Add', [b.op('Sub', [b.op('Relu', [z], 'loss/relu'), b.op('Mul', [z, y], 'loss/zy')], 'loss/lin'), softplus], 'loss/bce');
      } else {
        need('sigmoid', 'binary_crossentropy');
        p = out.name;
        const pc = b.op('Clip', [p, b.scalar(EPSILON), b.scalar(1 - EPSILON)], 'loss/pc');
        const a = b.op('Mul', [y, b.op('Log', [pc], 'loss/log_p')], 'loss/y_log_p');
        const c = b.op('Mul', [b.op('Sub', [b.scalar(1), y], 'loss/one_minus_y'), b.op('Log', [b.op('Sub', [b.scalar(1), pc], 'loss/one_minus_p')], 'loss/log_1mp')], 'loss/1my_log_1mp');
        elementwise = b.op('Neg', [b.op('Add', [a, c], 'loss/ll')], 'loss/bce');
      }
      const grad = b.op('Mul', [b.op('Sub', [p, y], 'loss/p_minus_y'), rowScale(n * units)], 'loss/dz');
      return { loss: reduce(rowMean(elementwise)), predictions: p, grad, wrt: 'preactivation' };
    }
    case 'categorical_crossentropy':
    case 'sparse_categorical_crossentropy': {
      let p: string;
      let perRow: string;
      if (loss.fromLogits) {
        const z = need('linear', `${loss.name} (fromLogits)`).name;
        p = b.op('Softmax', [z], 'loss/p', [attr.int('axis', -1)]);
        const logp = b.op('LogSoftmax', [z], 'loss/log_p', [attr.int('axis', -1)]);
        perRow = b.op('Neg', [rowSum(b.op('Mul', [y, logp], 'loss/y_log_p'), 'loss/sum_y_log_p')], 'loss/cce');
      } else {
        need('softmax', loss.name);
        p = out.name;
        // As Keras: renormalise, clip, then cross-entropy.
        const pn = b.op('Div', [p, rowSum(p, 'loss/p_sum')], 'loss/pn');
        const pc = b.op('Clip', [pn, b.scalar(EPSILON), b.scalar(1 - EPSILON)], 'loss/pc');
        perRow = b.op('Neg', [rowSum(b.op('Mul', [y, b.op('Log', [pc], 'loss/log_p')], 'loss/y_log_p'), 'loss/sum_y_log_p')], 'loss/cce');
      }
      const pTimesSum = b.op('Mul', [p, rowSum(y, 'loss/y_sum')], 'loss/p_sum_y');
      const grad = b.op('Mul', [b.op('Sub', [pTimesSum, y], 'loss/p_minus_y'), rowScale(n)], 'loss/dz');
      return { loss: reduce(perRow), predictions: p, grad, wrt: 'preactivation' };
    }
    case 'mean_squared_error': {
      const diff = b.op('Sub', [out.name, y], 'loss/diff');
      const grad = b.op('Mul', [diff, rowScale(n * units / 2)], 'loss/dy');
      return { loss: reduce(rowMean(b.op('Mul', [diff, diff], 'loss/sq'))), predictions: out.name, grad, wrt: 'output' };
    }
    default: {
      const never: never = loss.name;
      throw new CnnkitError('UNKNOWN_LOSS', `compileTrainingGraph: unknown loss ${String(never)}`);
    }
  }
}
