import { dilateFilter, tf } from '@cnnkit/tensor-core';
import type { Padding } from '../utils/shape.js';

/** TensorFlow's padding before/after along one axis for a convolution. */
function padAmounts(size: number, kernel: number, stride: number, dilation: number, padding: Padding): [number, number] {
  if (padding === 'valid') return [0, 0];
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * The filter gradient of a convolution, computed as a forward convolution:
 * dW[a,b,c,o] = Σ_{n,i,j} xpad[n, i·s + a·d, j·s + b·d, c] · dy[n,i,j,o], i.e. a
 * convolution of x (channels and batch swapped) with dy as the filter, where the
 * forward stride becomes the dilation and the forward dilation the stride.
 * Why: tfjs-backend-cpu's Conv2DBackpropFilter walks TensorBuffers element by
 * element and made one training step of the tutorial model take seconds; its
 * forward Conv2D runs on typed arrays and is ~20x faster for the same sums.
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  kernelSize: [number, number],
  strides: [number, number],
  padding: Padding,
  dilations: [number, number],
): tf.Tensor4D {
  const [, h, w] = x.shape;
  const [top, bottom] = padAmounts(h, kernelSize[0], strides[0], dilations[0], padding);
  const [left, right] = padAmounts(w, kernelSize[1], strides[1], dilations[1], padding);
  const padded = top + bottom + left + right === 0 ? x : tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
  const xT = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D; // [ci, Hp, Wp, N]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [oh, ow, N, co]
  const r = tf.conv2d(xT, dyT, dilations, 'valid', 'NHWC', strides); // [ci, >=kh, >=kw, co]
  const cut = tf.slice(r, [0, 0, 0, 0], [r.shape[0], kernelSize[0], kernelSize[1], r.shape[3]]);
  return tf.transpose(cut, [1, 2, 0, 3]) as tf.Tensor4D;
}

/**
 * Backends whose gradient kernels are slow enough that the layers use their own
 * gradients (built from forward kernels). tfjs-backend-cpu's Conv2DBackpropFilter
 * and MaxPoolGrad walk TensorBuffers element by element; wasm and cuda have fast
 * kernels (on wasm the two paths measured within 5% of each other), so they keep
 * the registered, conformance-tested gradients.
 */
export const LOCAL_GRADIENT_BACKENDS: readonly string[] = ['cpu'];

/** True when the active backend is one of `LOCAL_GRADIENT_BACKENDS`. */
export function useLocalGradients(): boolean {
  return LOCAL_GRADIENT_BACKENDS.includes(tf.getBackend());
}

/**
 * `tf.conv2d` (NHWC) with, on the cpu backend, a gradient local to cnnkit's layers:
 * the input gradient is the usual transposed convolution, the filter gradient
 * `conv2dFilterGradient`. Nothing is registered globally. Other backends use the
 * registered Conv2D gradient. Strides > 1 with dilation > 1 are rejected by the
 * layers, as by TensorFlow.
 *
 * @example
 * ```ts
 * const y = conv2d(x, kernel, [2, 2], 'same', [1, 1]);
 * ```
 */
export function conv2d(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  strides: [number, number],
  padding: Padding,
  dilations: [number, number],
): tf.Tensor4D {
  if (!useLocalGradients()) return tf.conv2d(x, kernel, strides, padding, 'NHWC', dilations);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, ki, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([xi, ki]);
    return {
      value: tf.conv2d(xi, ki, strides, padding, 'NHWC', dilations),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor4D;
        const [xs, ks] = saved as tf.Tensor4D[];
        const dx = tf.engine().runKernel(
          tf.Conv2DBackpropInput,
          { dy: g, filter: dilateFilter(ks, dilations) },
          { strides, pad: padding, dataFormat: 'NHWC', inputShape: xs.shape } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor;
        const dk = conv2dFilterGradient(xs, g, [ks.shape[0], ks.shape[1]], strides, padding, dilations);
        return [dx, dk];
      },
    };
  });
  return op(x, kernel) as tf.Tensor4D;
}
