import * as tf from '@tensorflow/tfjs-core';
import { single } from './broadcast.js';

type Cfg = tf.GradConfig;

/** Gradients of max and average pooling and of nearest/bilinear resizing. */
export const poolGradients: Cfg[] = [
  {
    // The pooling grad kernels are checked per backend by the conformance suite
    // (ties: the first maximum in the window takes the gradient, as in TensorFlow).
    kernelName: tf.MaxPool,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs) => ({
      x: () => tf.engine().runKernel(tf.MaxPoolGrad, { dy: single(dy), input: x, output: y }, attrs) as tf.Tensor,
    }),
  },
  {
    kernelName: tf.AvgPool,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({
      x: () => tf.engine().runKernel(tf.AvgPoolGrad, { dy: single(dy), input: x }, attrs) as tf.Tensor,
    }),
  },
  {
    kernelName: tf.ResizeNearestNeighbor,
    inputsToSave: ['images'],
    gradFunc: (dy, [images], attrs) => ({
      images: () => tf.engine().runKernel(tf.ResizeNearestNeighborGrad, { images, dy: single(dy) }, attrs) as tf.Tensor,
    }),
  },
  {
    kernelName: tf.ResizeBilinear,
    inputsToSave: ['images'],
    gradFunc: (dy, [images], attrs) => ({
      images: () => tf.engine().runKernel(tf.ResizeBilinearGrad, { images, dy: single(dy) }, attrs) as tf.Tensor,
    }),
  },
];
