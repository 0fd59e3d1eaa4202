import * as tf from '@tensorflow/tfjs-core';
import { single } from './broadcast.js';
import { resizeMatrix } from './resize-matrix.js';

type Cfg = tf.GradConfig;

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

interface ResizeAttrs {
  alignCorners: boolean;
  halfPixelCenters: boolean;
  size: [number, number];
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/**
 * Average-pool gradient with TensorFlow's divisor (only the real, unpadded cells of
 * a window count). tfjs's AvgPoolGrad kernels divide by the full window size, which
 * is wrong at 'same'-padded edges, so the gradient is built from checked ops: each
 * output's share dy / count is spread back over its window by a transposed
 * depthwise convolution with a ones filter.
 */
function avgPoolGradient(dy: tf.Tensor4D, x: tf.Tensor4D, a: PoolAttrs): tf.Tensor {
  const [kh, kw] = pair(a.filterSize);
  const channels = x.shape[3];
  const opts = { strides: a.strides, pad: a.pad, dimRoundingMode: a.dimRoundingMode, dilations: [1, 1] };
  const counts = tf.depthwiseConv2d(tf.ones([1, x.shape[1], x.shape[2], 1]) as tf.Tensor4D, tf.ones([kh, kw, 1, 1]) as tf.Tensor4D, a.strides, a.pad as 'same');
  const share = tf.div(dy, counts);
  return tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: share, filter: tf.ones([kh, kw, channels, 1]) }, {
    ...opts, inputShape: x.shape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/**
 * Resize gradient as A_hᵀ · dY · A_w with matrices from TensorFlow's sampling
 * rule. tfjs's cpu ResizeNearestNeighborGrad is wrong for batch > 1, so neither
 * resize gradient relies on the backends' grad kernels.
 */
function resizeGradient(mode: 'nearest' | 'bilinear', dy: tf.Tensor4D, images: tf.Tensor4D, a: ResizeAttrs): tf.Tensor {
  const [n, h, w, c] = images.shape;
  const [, oh, ow] = dy.shape;
  const ah = tf.tensor2d(resizeMatrix(h, oh, mode, a.alignCorners, a.halfPixelCenters), [oh, h]);
  const aw = tf.tensor2d(resizeMatrix(w, ow, mode, a.alignCorners, a.halfPixelCenters), [ow, w]);
  const rows = tf.reshape(tf.transpose(dy, [0, 3, 1, 2]), [n * c * oh, ow]);
  const alongW = tf.reshape(tf.matMul(rows, aw), [n * c, oh, w]);
  const cols = tf.reshape(tf.transpose(alongW, [0, 2, 1]), [n * c * w, oh]);
  const alongH = tf.reshape(tf.matMul(cols, ah), [n, c, w, h]);
  return tf.transpose(alongH, [0, 3, 2, 1]);
}

/** Gradients of max and average pooling and of nearest/bilinear resizing. */
export const poolGradients: Cfg[] = [
  {
    // The max-pool grad kernels are checked per backend by the conformance suite
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
      x: () => avgPoolGradient(single(dy) as tf.Tensor4D, x as tf.Tensor4D, attrs as unknown as PoolAttrs),
    }),
  },
  {
    kernelName: tf.ResizeNearestNeighbor,
    inputsToSave: ['images'],
    gradFunc: (dy, [images], attrs) => ({
      images: () => resizeGradient('nearest', single(dy) as tf.Tensor4D, images as tf.Tensor4D, attrs as unknown as ResizeAttrs),
    }),
  },
  {
    kernelName: tf.ResizeBilinear,
    inputsToSave: ['images'],
    gradFunc: (dy, [images], attrs) => ({
      images: () => resizeGradient('bilinear', single(dy) as tf.Tensor4D, images as tf.Tensor4D, attrs as unknown as ResizeAttrs),
    }),
  },
];
