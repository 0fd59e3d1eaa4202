import * as tf from '@tensorflow/tfjs-core';
import { single, unbroadcast } from './broadcast.js';

type Cfg = tf.GradConfig;

/** Gradients of broadcasting binary arithmetic: a (op) b. */
export const arithmeticGradients: Cfg[] = [
  {
    kernelName: tf.Add,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(single(dy), a.shape),
      b: () => unbroadcast(single(dy), b.shape),
    }),
  },
  {
    kernelName: tf.AddN,
    saveAllInputs: true,
    gradFunc: (dy, saved) => Object.fromEntries(saved.map((_, i) => [String(i), () => tf.clone(single(dy))])),
  },
  {
    kernelName: tf.Sub,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(single(dy), a.shape),
      b: () => unbroadcast(tf.neg(single(dy)), b.shape),
    }),
  },
  {
    kernelName: tf.Multiply,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.mul(single(dy), tf.cast(b, 'float32')), a.shape),
      b: () => unbroadcast(tf.mul(single(dy), tf.cast(a, 'float32')), b.shape),
    }),
  },
  {
    kernelName: tf.RealDiv,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.div(single(dy), tf.cast(b, 'float32')), a.shape),
      b: () => unbroadcast(tf.neg(tf.div(tf.mul(single(dy), a), tf.square(b))), b.shape),
    }),
  },
  {
    kernelName: tf.SquaredDifference,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => {
      const two = tf.scalar(2);
      return {
        a: () => unbroadcast(tf.mul(single(dy), tf.mul(two, tf.sub(a, b))), a.shape),
        b: () => unbroadcast(tf.mul(single(dy), tf.mul(two, tf.sub(b, a))), b.shape),
      };
    },
  },
  {
    // The gradient goes to `a` where a >= b, matching TensorFlow's tie rule.
    kernelName: tf.Maximum,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.mul(single(dy), tf.cast(tf.greaterEqual(a, b), 'float32')), a.shape),
      b: () => unbroadcast(tf.mul(single(dy), tf.cast(tf.less(a, b), 'float32')), b.shape),
    }),
  },
  {
    kernelName: tf.Minimum,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.mul(single(dy), tf.cast(tf.lessEqual(a, b), 'float32')), a.shape),
      b: () => unbroadcast(tf.mul(single(dy), tf.cast(tf.greater(a, b), 'float32')), b.shape),
    }),
  },
  {
    kernelName: tf.Pow,
    inputsToSave: ['a', 'b'],
    outputsToSave: [true],
    gradFunc: (dy, [a, b, y]) => ({
      a: () => unbroadcast(tf.mul(single(dy), tf.mul(b, tf.pow(a, tf.sub(b, tf.scalar(1))))), a.shape),
      b: () => {
        // d/db a^b = a^b log a, defined as 0 where a <= 0 (as TensorFlow does).
        const positive = tf.greater(a, 0);
        const logA = tf.where(positive, tf.log(tf.where(positive, a, tf.onesLike(a))), tf.zerosLike(a));
        return unbroadcast(tf.mul(single(dy), tf.mul(y, logA)), b.shape);
      },
    }),
  },
];
