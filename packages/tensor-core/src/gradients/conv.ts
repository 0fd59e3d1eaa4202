import * as tf from '@tensorflow/tfjs-core';
import { CnnkitError } from '../errors.js';
import { single } from './broadcast.js';

type Cfg = tf.GradConfig;
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function pair(v: number | [number, number] | undefined): [number, number] {
  if (v === undefined) return [1, 1];
  return typeof v === 'number' ? [v, v] : v;
}

function requireNHWC(op: string, attrs: ConvAttrs): void {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new CnnkitError('UNSUPPORTED', `gradient of ${op}: expected dataFormat NHWC, received ${attrs.dataFormat}`);
  }
}

/**
 * Inserts d-1 zeros between filter taps: a convolution with the dilated filter is
 * the dilated convolution, so dilation needs no special backward kernel.
 */
export function dilateFilter(filter: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return filter;
  const [kh, kw, ci, co] = filter.shape;
  const c = ci * co;
  // One axis at a time, in rank <= 4: tfjs-webgpu cannot compile a rank-6 pad (its
  // WGSL has no vec6), and a failed GPU shader yields zeros, not an error.
  const spreadW = tf.pad(tf.reshape(filter, [kh, kw, 1, c]), [[0, 0], [0, 0], [0, dw - 1], [0, 0]]);
  const wide = (kw - 1) * dw + 1;
  const alongW = tf.slice(tf.reshape(spreadW, [kh, kw * dw, c]), [0, 0, 0], [kh, wide, c]);
  const spreadH = tf.pad(tf.reshape(alongW, [kh, 1, wide, c]), [[0, 0], [0, dh - 1], [0, 0], [0, 0]]);
  const tall = (kh - 1) * dh + 1;
  return tf.reshape(tf.slice(tf.reshape(spreadH, [kh * dh, wide, c]), [0, 0, 0], [tall, wide, c]), [tall, wide, ci, co]) as tf.Tensor4D;
}

/** Keeps every d-th tap: the gradient of `dilateFilter`. */
function undilate(grad: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return grad;
  return tf.stridedSlice(grad, [0, 0, 0, 0], grad.shape, [dh, dw, 1, 1]) as tf.Tensor4D;
}

function conv2dBackpropInput(inputShape: number[], dy: tf.Tensor, filter: tf.Tensor, a: ConvAttrs): tf.Tensor4D {
  return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, {
    strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: a.dimRoundingMode, inputShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

function conv2dBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], a: ConvAttrs): tf.Tensor4D {
  return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
    strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: a.dimRoundingMode, filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** Gradients of conv2d, conv2d-transpose and depthwise conv2d (NHWC, any stride and dilation). */
export const convGradients: Cfg[] = [
  {
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, [x, filter], attrs) => {
      const a = attrs as unknown as ConvAttrs;
      requireNHWC('conv2d', a);
      const d = pair(a.dilations);
      const g = single(dy);
      return {
        x: () => conv2dBackpropInput(x.shape, g, dilateFilter(filter as tf.Tensor4D, d), a),
        filter: () => {
          const full = dilateFilter(filter as tf.Tensor4D, d);
          return undilate(conv2dBackpropFilter(x, g, full.shape, a), d);
        },
      };
    },
  },
  {
    // conv2d-transpose is the input-gradient kernel run forward; its own gradient
    // is a plain convolution for `dy` and a filter gradient with the roles swapped.
    kernelName: tf.Conv2DBackpropInput,
    inputsToSave: ['dy', 'filter'],
    gradFunc: (ddx, [dy, filter], attrs) => {
      const a = attrs as unknown as ConvAttrs;
      requireNHWC('conv2dTranspose', a);
      const g = single(ddx);
      return {
        dy: () =>
          tf.conv2d(g as tf.Tensor4D, filter as tf.Tensor4D, a.strides, a.pad as 'same', 'NHWC', 1, a.dimRoundingMode),
        filter: () => conv2dBackpropFilter(g, dy, filter.shape, a),
      };
    },
  },
  {
    kernelName: tf.DepthwiseConv2dNative,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, [x, filter], attrs) => {
      const a = attrs as unknown as ConvAttrs;
      const d = pair(a.dilations);
      const g = single(dy);
      const base = { strides: a.strides, pad: a.pad, dimRoundingMode: a.dimRoundingMode, dilations: [1, 1] };
      return {
        x: () =>
          tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: g, filter: dilateFilter(filter as tf.Tensor4D, d) }, {
            ...base, inputShape: x.shape,
          } as unknown as tf.NamedAttrMap) as tf.Tensor,
        filter: () => {
          const full = dilateFilter(filter as tf.Tensor4D, d);
          const grad = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy: g }, {
            ...base, filterShape: full.shape,
          } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
          return undilate(grad, d);
        },
      };
    },
  },
];
