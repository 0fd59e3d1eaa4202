import { tf, type Rng } from '@cnnkit/tensor-core';

/** The weight initializers Keras layers name by string. */
export const INITIALIZER_NAMES = ['glorot_uniform', 'he_normal', 'he_uniform', 'zeros', 'ones'] as const;
export type InitializerName = (typeof INITIALIZER_NAMES)[number];

/**
 * Fan-in and fan-out as Keras computes them: for a kernel [kh, kw, in, out] the
 * receptive field (kh*kw) times the last two dimensions.
 */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

// Keras divides the truncated normal's stddev by this constant: the std of a unit
// normal truncated to two standard deviations, so the result has the asked variance.
const TRUNCATED_STD = 0.8796256610342398;

/**
 * Creates an initial weight value.
 *
 * @example
 * ```ts
 * const kernel = initialize('he_normal', [3, 3, 3, 16], createRng(1));
 * ```
 */
export function initialize(name: InitializerName, shape: number[], rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const [fanIn, fanOut] = computeFans(shape);
  const values = new Float32Array(size);
  switch (name) {
    case 'zeros':
      break;
    case 'ones':
      values.fill(1);
      break;
    case 'glorot_uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      rng.fillUniform(values, -limit, limit);
      break;
    }
    case 'he_uniform': {
      const limit = Math.sqrt(6 / fanIn);
      rng.fillUniform(values, -limit, limit);
      break;
    }
    case 'he_normal': {
      const std = Math.sqrt(2 / fanIn) / TRUNCATED_STD;
      for (let i = 0; i < size; i++) values[i] = rng.truncatedNormal(0, std);
      break;
    }
    default: {
      const unknown: never = name;
      throw new Error(`initializer: unknown name ${String(unknown)}`);
    }
  }
  return tf.tensor(values, shape, 'float32');
}
