import { tf } from '@cnnkit/tensor-core';

/** Activation names accepted by layers and the Activation layer (Keras names). */
export const ACTIVATION_NAMES = ['linear', 'relu', 'leaky_relu', 'elu', 'sigmoid', 'softmax', 'tanh', 'gelu', 'swish'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/**
 * Applies an activation, using only kernels that have gradients in tensor-core.
 *
 * @example
 * ```ts
 * const y = applyActivation('gelu', tf.tensor([-1, 0, 1]));
 * ```
 */
export function applyActivation(name: ActivationName, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'leaky_relu':
      // Keras 3's default negative_slope is 0.2 (tfjs's default alpha is also 0.2).
      return tf.leakyRelu(x, 0.2);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'softmax':
      return tf.softmax(x, -1);
    case 'tanh':
      return tf.tanh(x);
    case 'gelu':
      // Keras default approximate=False: the exact form with erf.
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    default: {
      const unknown: never = name;
      throw new Error(`activation: unknown name ${String(unknown)}`);
    }
  }
}
