import { CnnkitError } from '@cnnkit/tensor-core';
import { attr, type GraphBuilder } from './graph-builder.js';

/** Activations the training graph differentiates. */
export const TRAINABLE_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'softmax'] as const;
export type TrainableActivation = (typeof TRAINABLE_ACTIVATIONS)[number];

export function checkActivation(layer: string, activation: string, allowed: readonly TrainableActivation[]): TrainableActivation {
  if (!(allowed as readonly string[]).includes(activation)) {
    throw new CnnkitError(
      'UNSUPPORTED_LAYER',
      `compileTrainingGraph: ${layer} has activation "${activation}"; the ORT training engine supports ${allowed.join(', ')} there`,
    );
  }
  return activation as TrainableActivation;
}

/** Forward activation of `z` (softmax over the last axis). */
export function emitActivation(b: GraphBuilder, activation: TrainableActivation, z: string, base: string): string {
  switch (activation) {
    case 'linear':
      return z;
    case 'relu':
      return b.op('Relu', [z], `${base}/relu`);
    case 'sigmoid':
      return b.op('Sigmoid', [z], `${base}/sigmoid`);
    case 'softmax':
      return b.op('Softmax', [z], `${base}/softmax`, [attr.int('axis', -1)]);
    default: {
      const never: never = activation;
      throw new CnnkitError('UNSUPPORTED_LAYER', `activation ${String(never)}`);
    }
  }
}

/**
 * The gradient with respect to the pre-activation from the gradient `dy` with respect
 * to the output `y`, written with the output only (the pre-activation need not be kept).
 * ReLU is a Where on y > 0, as TensorFlow (zero gradient at zero).
 */
export function emitActivationGrad(b: GraphBuilder, activation: TrainableActivation, y: string, dy: string, base: string): string {
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu': {
      const positive = b.op('Greater', [y, b.scalar(0)], `${base}/relu_mask`);
      return b.op('Where', [positive, dy, b.scalar(0)], `${base}/drelu`);
    }
    case 'sigmoid': {
      // y(1 - y) dy
      const oneMinus = b.op('Sub', [b.scalar(1), y], `${base}/one_minus_y`);
      return b.op('Mul', [b.op('Mul', [dy, y], `${base}/dy_y`), oneMinus], `${base}/dsigmoid`);
    }
    case 'softmax': {
      // y (dy - sum(dy y))
      const dot = b.op('ReduceSum', [b.op('Mul', [dy, y], `${base}/dy_y`), b.int64('axes', [-1])], `${base}/dot`, [attr.int('keepdims', 1)]);
      return b.op('Mul', [y, b.op('Sub', [dy, dot], `${base}/centred`)], `${base}/dsoftmax`);
    }
    default: {
      const never: never = activation;
      throw new CnnkitError('UNSUPPORTED_LAYER', `activation ${String(never)}`);
    }
  }
}
