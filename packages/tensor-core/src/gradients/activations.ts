import * as tf from '@tensorflow/tfjs-core';
import { single } from './broadcast.js';

type Cfg = tf.GradConfig;

function lastAxis(dim: number | number[] | undefined, rank: number): number {
  const d = Array.isArray(dim) ? dim[0] : dim;
  return d === undefined || d === -1 ? rank - 1 : d < 0 ? rank + d : d;
}

/** Gradients of the activation functions the layers offer. */
export const activationGradients: Cfg[] = [
  {
    // Gradient 0 at x = 0 (TensorFlow and PyTorch agree). step(x) is 1 for x > 0,
    // else 0: one kernel instead of greater + cast on the hot path.
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(single(dy), tf.step(x)) }),
  },
  {
    kernelName: tf.Relu6,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({
      x: () => tf.mul(single(dy), tf.cast(tf.logicalAnd(tf.greater(x, 0), tf.less(x, 6)), 'float32')),
    }),
  },
  {
    kernelName: tf.LeakyRelu,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const alpha = (attrs as unknown as { alpha: number }).alpha;
      return { x: () => tf.mul(single(dy), tf.where(tf.greater(x, 0), tf.onesLike(x), tf.fill(x.shape, alpha))) };
    },
  },
  {
    // elu(x) = x for x > 0, e^x - 1 otherwise, so the slope is 1 or y + 1.
    kernelName: tf.Elu,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(single(dy), tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, 1))) }),
  },
  {
    kernelName: tf.Sigmoid,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(single(dy), tf.mul(y, tf.sub(1, y))) }),
  },
  {
    kernelName: tf.Tanh,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(single(dy), tf.sub(1, tf.square(y))) }),
  },
  {
    kernelName: tf.Softplus,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(single(dy), tf.sigmoid(x)) }),
  },
  {
    kernelName: tf.Erf,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({
      x: () => tf.mul(single(dy), tf.mul(tf.exp(tf.neg(tf.square(x))), 2 / Math.sqrt(Math.PI))),
    }),
  },
  {
    kernelName: tf.Softmax,
    outputsToSave: [true],
    gradFunc: (dy, [y], attrs) => {
      const axis = lastAxis((attrs as unknown as { dim: number | number[] }).dim, y.rank);
      return {
        logits: () => {
          const g = tf.mul(single(dy), y);
          return tf.sub(g, tf.mul(y, tf.sum(g, axis, true)));
        },
      };
    },
  },
  {
    kernelName: tf.LogSoftmax,
    outputsToSave: [true],
    gradFunc: (dy, [y], attrs) => {
      const axis = lastAxis((attrs as unknown as { axis: number | number[] }).axis, y.rank);
      return { logits: () => tf.sub(single(dy), tf.mul(tf.exp(y), tf.sum(single(dy), axis, true))) };
    },
  },
];
