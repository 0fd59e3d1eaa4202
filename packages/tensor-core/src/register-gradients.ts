import * as tf from '@tensorflow/tfjs-core';
import { activationGradients } from './gradients/activations.js';
import { arithmeticGradients } from './gradients/arithmetic.js';
import { convGradients } from './gradients/conv.js';
import { linalgGradients } from './gradients/linalg.js';
import { poolGradients } from './gradients/pool.js';
import { reduceGradients } from './gradients/reduce.js';
import { shapeGradients } from './gradients/shape.js';
import { unaryGradients } from './gradients/unary.js';

/**
 * Every gradient cnnkit provides, one per tfjs kernel. tfjs-core ships its
 * gradients only as extension-less ES modules that Node cannot load, so cnnkit
 * defines its own; the conformance suite checks each against numerical
 * differentiation on every backend.
 */
export const GRADIENTS: readonly tf.GradConfig[] = [
  ...arithmeticGradients,
  ...unaryGradients,
  ...activationGradients,
  ...reduceGradients,
  ...shapeGradients,
  ...convGradients,
  ...poolGradients,
  ...linalgGradients,
];

/** Kernel names that have a gradient once `registerGradients()` ran. */
export function gradientKernelNames(): string[] {
  return GRADIENTS.map((g) => g.kernelName);
}

/**
 * Registers cnnkit's gradients with tfjs (idempotent). Backend plugins call it in
 * `activate()`; call it yourself only when you drive tfjs backends directly.
 * Replaces any gradient registered earlier for the same kernel, so the checked
 * definitions are the ones in effect.
 *
 * @example
 * ```ts
 * registerGradients();
 * const g = tf.grad((x) => tf.relu(x))(tf.tensor([-1, 2])); // [0, 1]
 * ```
 */
export function registerGradients(): void {
  for (const config of GRADIENTS) {
    if (tf.getGradient(config.kernelName) === config) continue;
    if (tf.getGradient(config.kernelName) !== undefined) tf.unregisterGradient(config.kernelName);
    tf.registerGradient(config);
  }
}
