import * as tf from '@tensorflow/tfjs-core';
import { single } from './broadcast.js';

type Cfg = tf.GradConfig;

const zeroGrad = (kernelName: string): Cfg => ({
  kernelName,
  inputsToSave: ['x'],
  gradFunc: (_dy, [x]) => ({ x: () => tf.zerosLike(x) }),
});

/** Gradients of elementwise math: exp, log, sqrt, square, ... */
export const unaryGradients: Cfg[] = [
  { kernelName: tf.Neg, gradFunc: (dy) => ({ x: () => tf.neg(single(dy)) }) },
  { kernelName: tf.Identity, gradFunc: (dy) => ({ x: () => tf.clone(single(dy)) }) },
  {
    kernelName: tf.Cast,
    inputsToSave: ['x'],
    // Integer and boolean inputs take no gradient; float ones pass it through.
    gradFunc: (dy, [x]) => ({ x: () => (x.dtype === 'float32' ? tf.clone(single(dy)) : tf.zerosLike(x)) }),
  },
  {
    kernelName: tf.Exp,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(single(dy), y) }),
  },
  {
    kernelName: tf.Log,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.div(single(dy), x) }),
  },
  {
    kernelName: tf.Log1p,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.div(single(dy), tf.add(x, 1)) }),
  },
  {
    kernelName: tf.Sqrt,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.div(single(dy), tf.mul(tf.sqrt(x), 2)) }),
  },
  {
    kernelName: tf.Rsqrt,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(single(dy), tf.mul(tf.pow(x, -1.5), -0.5)) }),
  },
  {
    kernelName: tf.Square,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(single(dy), tf.mul(x, 2)) }),
  },
  {
    kernelName: tf.Reciprocal,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.neg(tf.div(single(dy), tf.square(x))) }),
  },
  {
    // Subgradient 0 at x = 0, as TensorFlow.
    kernelName: tf.Abs,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(single(dy), tf.sign(x)) }),
  },
  {
    kernelName: tf.ClipByValue,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const { clipValueMin, clipValueMax } = attrs as unknown as { clipValueMin: number; clipValueMax: number };
      return {
        x: () =>
          tf.where(
            tf.logicalAnd(tf.greaterEqual(x, clipValueMin), tf.lessEqual(x, clipValueMax)),
            single(dy),
            tf.zerosLike(single(dy)),
          ),
      };
    },
  },
  zeroGrad(tf.Floor),
  zeroGrad(tf.Ceil),
  zeroGrad(tf.Round),
  zeroGrad(tf.Sign),
  zeroGrad(tf.Step),
  zeroGrad(tf.OnesLike),
  zeroGrad(tf.ZerosLike),
];
