import type { ActivationName } from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr, type GraphBuilder } from './graph-builder.js';

/**
 * Activations the training graph differentiates: every name the layers package has
 * (spelled out, so the engine says what it supports; `satisfies` and the exhaustive
 * switches below fail to compile when the layers package adds one).
 */
export const TRAINABLE_ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'elu', 'sigmoid', 'softmax', 'tanh', 'gelu', 'swish'] as const satisfies readonly ActivationName[];
export type TrainableActivation = (typeof TRAINABLE_ACTIVATIONS)[number];

/** Keras 3's leaky_relu negative slope, as the layers package applies it. */
const LEAKY_SLOPE = 0.2;

export function checkActivation(layer: string, activation: string, allowed: readonly TrainableActivation[] = TRAINABLE_ACTIVATIONS): TrainableActivation {
  if (!(allowed as readonly string[]).includes(activation)) {
    throw new CnnkitError(
      'UNSUPPORTED_LAYER',
      `compileTrainingGraph: ${layer} has activation "${activation}"; the ORT training engine supports ${allowed.join(', ')} there`,
    );
  }
  return activation as TrainableActivation;
}

/** Whether an activation mixes values across the channel axis (so it cannot run on a blocked tensor's storage). */
export function mixesChannels(activation: TrainableActivation): boolean {
  return activation === 'softmax';
}

/**
 * Forward activation of `z`. `axis` is softmax's axis: the channels (Keras's last
 * axis), 1 for an NCHW image, -1 for `[N, features]`.
 */
export function emitActivation(b: GraphBuilder, activation: TrainableActivation, z: string, base: string, axis = -1): string {
  switch (activation) {
    case 'linear':
      return z;
    case 'relu':
      return b.op('Relu', [z], `${base}/relu`);
    case 'leaky_relu':
      return b.op('LeakyRelu', [z], `${base}/leaky_relu`, [attr.float('alpha', LEAKY_SLOPE)]);
    case 'elu':
      return b.op('Elu', [z], `${base}/elu`, [attr.float('alpha', 1)]);
    case 'sigmoid':
      return b.op('Sigmoid', [z], `${base}/sigmoid`);
    case 'softmax':
      return b.op('Softmax', [z], `${base}/softmax`, [attr.int('axis', axis)]);
    case 'tanh':
      return b.op('Tanh', [z], `${base}/tanh`);
    case 'gelu': {
      // Exact GELU (Keras approximate=false): 0.5 z (1 + erf(z / sqrt 2)).
      const erf = b.op('Erf', [b.op('Mul', [z, b.scalar(Math.SQRT1_2)], `${base}/z_over_sqrt2`)], `${base}/erf`);
      const half = b.op('Mul', [z, b.scalar(0.5)], `${base}/half_z`);
      return b.op('Mul', [half, b.op('Add', [erf, b.scalar(1)], `${base}/one_plus_erf`)], `${base}/gelu`);
    }
    case 'swish':
      return b.op('Mul', [z, b.op('Sigmoid', [z], `${base}/sigmoid`)], `${base}/swish`);
    default: {
      const never: never = activation;
      throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: activation "${String(never)}"; supported: ${TRAINABLE_ACTIVATIONS.join(', ')}`);
    }
  }
}

/**
 * The gradient with respect to the pre-activation `z` from the gradient `dy` with
 * respect to the output `y`, as the wasm engine's (tensor-core's) gradients give it:
 * ReLU, leaky ReLU and ELU switch on y > 0 (zero counts as negative, as TensorFlow);
 * sigmoid, tanh and softmax are written with the output; GELU and swish need `z`.
 */
export function emitActivationGrad(b: GraphBuilder, activation: TrainableActivation, v: { y: string; z: string }, dy: string, base: string, axis = -1): string {
  const { y, z } = v;
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu': {
      const positive = b.op('Greater', [y, b.scalar(0)], `${base}/relu_mask`);
      return b.op('Where', [positive, dy, b.scalar(0)], `${base}/drelu`);
    }
    case 'leaky_relu': {
      const positive = b.op('Greater', [y, b.scalar(0)], `${base}/leaky_mask`);
      return b.op('Where', [positive, dy, b.op('Mul', [dy, b.scalar(LEAKY_SLOPE)], `${base}/dy_slope`)], `${base}/dleaky_relu`);
    }
    case 'elu': {
      // Slope 1 where y > 0, else e^z = y + 1.
      const positive = b.op('Greater', [y, b.scalar(0)], `${base}/elu_mask`);
      return b.op('Where', [positive, dy, b.op('Mul', [dy, b.op('Add', [y, b.scalar(1)], `${base}/y_plus_1`)], `${base}/dy_exp`)], `${base}/delu`);
    }
    case 'sigmoid': {
      // y(1 - y) dy
      const oneMinus = b.op('Sub', [b.scalar(1), y], `${base}/one_minus_y`);
      return b.op('Mul', [b.op('Mul', [dy, y], `${base}/dy_y`), oneMinus], `${base}/dsigmoid`);
    }
    case 'softmax': {
      // y (dy - sum(dy y))
      const dot = b.op('ReduceSum', [b.op('Mul', [dy, y], `${base}/dy_y`), b.int64('axes', [axis])], `${base}/dot`, [attr.int('keepdims', 1)]);
      return b.op('Mul', [y, b.op('Sub', [dy, dot], `${base}/centred`)], `${base}/dsoftmax`);
    }
    case 'tanh': {
      const oneMinus = b.op('Sub', [b.scalar(1), b.op('Mul', [y, y], `${base}/y2`)], `${base}/one_minus_y2`);
      return b.op('Mul', [dy, oneMinus], `${base}/dtanh`);
    }
    case 'gelu': {
      // 0.5 (1 + erf(z / sqrt 2)) + z exp(-z^2 / 2) / sqrt(2 pi)
      const erf = b.op('Erf', [b.op('Mul', [z, b.scalar(Math.SQRT1_2)], `${base}/dz_over_sqrt2`)], `${base}/derf`);
      const cdf = b.op('Mul', [b.op('Add', [erf, b.scalar(1)], `${base}/d_one_plus_erf`), b.scalar(0.5)], `${base}/cdf`);
      const gauss = b.op('Exp', [b.op('Mul', [b.op('Mul', [z, z], `${base}/z2`), b.scalar(-0.5)], `${base}/minus_half_z2`)], `${base}/gauss`);
      const pdf = b.op('Mul', [b.op('Mul', [z, gauss], `${base}/z_gauss`), b.scalar(1 / Math.sqrt(2 * Math.PI))], `${base}/z_pdf`);
      return b.op('Mul', [dy, b.op('Add', [cdf, pdf], `${base}/gelu_slope`)], `${base}/dgelu`);
    }
    case 'swish': {
      // s + z s (1 - s), s = sigmoid(z)
      const s = b.op('Sigmoid', [z], `${base}/dsigmoid_z`);
      const ds = b.op('Mul', [b.op('Mul', [z, s], `${base}/z_s`), b.op('Sub', [b.scalar(1), s], `${base}/one_minus_s`)], `${base}/z_ds`);
      return b.op('Mul', [dy, b.op('Add', [s, ds], `${base}/swish_slope`)], `${base}/dswish`);
    }
    default: {
      const never: never = activation;
      throw new CnnkitError('UNSUPPORTED_LAYER', `compileTrainingGraph: activation "${String(never)}"; supported: ${TRAINABLE_ACTIVATIONS.join(', ')}`);
    }
  }
}
