import * as tf from '@tensorflow/tfjs-core';
import { single, unbroadcast } from './broadcast.js';

type Cfg = tf.GradConfig;

/** Sums broadcast batch dimensions of a matmul gradient back to the operand's shape. */
function toShape(grad: tf.Tensor, shape: number[]): tf.Tensor {
  if (grad.rank === shape.length && grad.shape.every((d, i) => d === shape[i])) return grad;
  const lead = grad.rank - shape.length;
  const summed = lead > 0 ? tf.sum(grad, Array.from({ length: lead }, (_, i) => i)) : grad;
  return unbroadcast(summed, shape);
}

/** Gradients of matrix multiplication and batch normalization. */
export const linalgGradients: Cfg[] = [
  {
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => {
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const g = single(dy);
      let da: () => tf.Tensor;
      let db: () => tf.Tensor;
      if (!transposeA && !transposeB) {
        da = () => tf.matMul(g, b, false, true);
        db = () => tf.matMul(a, g, true, false);
      } else if (!transposeA && transposeB) {
        da = () => tf.matMul(g, b, false, false);
        db = () => tf.matMul(g, a, true, false);
      } else if (transposeA && !transposeB) {
        da = () => tf.matMul(b, g, false, true);
        db = () => tf.matMul(a, g, false, false);
      } else {
        da = () => tf.matMul(b, g, true, true);
        db = () => tf.matMul(g, a, true, true);
      }
      return { a: () => toShape(da(), a.shape), b: () => toShape(db(), b.shape) };
    },
  },
  {
    // y = (x - mean) * rsqrt(variance + eps) * scale + offset. Mean and variance are
    // differentiated too: in training they are computed from x by the caller.
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale', 'offset'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale, offset] = saved;
      const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
      const g = single(dy);
      const s = () => tf.rsqrt(tf.add(variance, eps));
      const scaleOr1 = () => (scale ? scale : tf.scalar(1));
      const centered = () => tf.sub(x, mean);
      return {
        x: () => tf.mul(g, tf.mul(s(), scaleOr1())),
        mean: () => unbroadcast(tf.neg(tf.mul(g, tf.mul(s(), scaleOr1()))), mean.shape),
        variance: () =>
          unbroadcast(tf.mul(tf.mul(g, tf.mul(centered(), scaleOr1())), tf.mul(tf.pow(s(), 3), -0.5)), variance.shape),
        scale: () => unbroadcast(tf.mul(g, tf.mul(centered(), s())), scale ? scale.shape : [1]),
        offset: () => unbroadcast(g, offset ? offset.shape : [1]),
      };
    },
  },
];
