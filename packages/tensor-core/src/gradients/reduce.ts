import * as tf from '@tensorflow/tfjs-core';
import { single } from './broadcast.js';

type Cfg = tf.GradConfig;

function normalizeAxes(axis: number | number[] | undefined | null, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  return (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a));
}

/** The reduced-shape with ones where axes were removed, so dy broadcasts back. */
function keptShape(shape: number[], axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function extremumGradient(kernelName: string): Cfg {
  return {
    // Like TensorFlow, tied extrema share the gradient equally (this is also what
    // central differences measure at a tie).
    kernelName,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs) => {
      // tfjs names the attribute reductionIndices for Max but axis for Min.
      const { reductionIndices, axis } = attrs as unknown as { reductionIndices?: number | number[]; axis?: number | number[] };
      const axes = normalizeAxes(reductionIndices ?? axis, x.rank);
      const shape = keptShape(x.shape, axes);
      return {
        x: () => {
          const mask = tf.cast(tf.equal(x, tf.reshape(y, shape)), 'float32');
          const ties = tf.sum(mask, axes, true);
          return tf.mul(tf.reshape(single(dy), shape), tf.div(mask, ties));
        },
      };
    },
  };
}

/** Gradients of sum, mean, max and min over axes. */
export const reduceGradients: Cfg[] = [
  {
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const axes = normalizeAxes((attrs as unknown as { axis: number | number[] }).axis, x.rank);
      return { x: () => tf.mul(tf.reshape(single(dy), keptShape(x.shape, axes)), tf.ones(x.shape)) };
    },
  },
  {
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const axes = normalizeAxes((attrs as unknown as { axis: number | number[] }).axis, x.rank);
      const count = axes.reduce((n, a) => n * x.shape[a], 1);
      return { x: () => tf.mul(tf.reshape(single(dy), keptShape(x.shape, axes)), tf.fill(x.shape, 1 / count)) };
    },
  },
  extremumGradient(tf.Max),
  extremumGradient(tf.Min),
];
