import * as tf from '@tensorflow/tfjs-core';
import { single, unbroadcast } from './broadcast.js';

type Cfg = tf.GradConfig;

interface SliceAttrs { begin: number | number[]; size: number | number[] }
interface PadAttrs { paddings: Array<[number, number]> }

/** Gradients of layout operations: reshape, transpose, concat, slice, pad, tile, ... */
export const shapeGradients: Cfg[] = [
  {
    kernelName: tf.Reshape,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.reshape(single(dy), x.shape) }),
  },
  {
    kernelName: tf.ExpandDims,
    inputsToSave: ['input'],
    gradFunc: (dy, [input]) => ({ input: () => tf.reshape(single(dy), input.shape) }),
  },
  {
    kernelName: tf.Transpose,
    gradFunc: (dy, _saved, attrs) => {
      const perm = (attrs as unknown as { perm: number[] }).perm;
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      return { x: () => tf.transpose(single(dy), inverse) };
    },
  },
  {
    kernelName: tf.Concat,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const rank = saved[0].rank;
      let axis = (attrs as unknown as { axis: number | number[] }).axis as number;
      axis = Array.isArray(axis) ? axis[0] : axis;
      if (axis < 0) axis += rank;
      const sizes = saved.map((t) => t.shape[axis]);
      const parts = tf.split(single(dy), sizes, axis);
      return Object.fromEntries(parts.map((p, i) => [String(i), () => p]));
    },
  },
  {
    kernelName: tf.Pack,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = (attrs as unknown as { axis: number }).axis;
      const parts = tf.unstack(single(dy), axis);
      return Object.fromEntries(parts.map((p, i) => [String(i), () => tf.reshape(p, saved[i].shape)]));
    },
  },
  {
    kernelName: tf.Unpack,
    gradFunc: (dy, _saved, attrs) => {
      const axis = (attrs as unknown as { axis: number }).axis;
      return { value: () => tf.stack(dy as tf.Tensor[], axis) };
    },
  },
  {
    kernelName: tf.SplitV,
    gradFunc: (dy, _saved, attrs) => {
      const axis = (attrs as unknown as { axis: number }).axis;
      return { x: () => tf.concat(dy as tf.Tensor[], axis) };
    },
  },
  {
    kernelName: tf.Slice,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const { begin, size } = attrs as unknown as SliceAttrs;
      const [begins, sizes] = tf.slice_util.parseSliceParams(x as tf.TensorInfo, begin, size);
      const paddings = x.shape.map((d, i) => [begins[i], d - begins[i] - sizes[i]] as [number, number]);
      return { x: () => tf.pad(single(dy), paddings) };
    },
  },
  {
    kernelName: tf.PadV2,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const { paddings } = attrs as unknown as PadAttrs;
      return { x: () => tf.slice(single(dy), paddings.map((p) => p[0]), x.shape) };
    },
  },
  {
    kernelName: tf.Tile,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const reps = (attrs as unknown as { reps: number[] }).reps;
      // dy viewed as [r0, x0, r1, x1, ...]: summing the r axes undoes the tiling.
      const split = x.shape.flatMap((d, i) => [reps[i], d]);
      const repAxes = x.shape.map((_, i) => 2 * i);
      return { x: () => tf.reshape(tf.sum(tf.reshape(single(dy), split), repAxes), x.shape) };
    },
  },
  {
    kernelName: tf.Reverse,
    gradFunc: (dy, _saved, attrs) => {
      const dims = (attrs as unknown as { dims: number | number[] }).dims;
      return { x: () => tf.reverse(single(dy), dims) };
    },
  },
  {
    kernelName: tf.BroadcastTo,
    gradFunc: (dy, _saved, attrs) => {
      const inputShape = (attrs as unknown as { inputShape: number[] }).inputShape;
      return { x: () => unbroadcast(single(dy), inputShape) };
    },
  },
  {
    kernelName: tf.Select,
    inputsToSave: ['condition'],
    gradFunc: (dy, [condition]) => {
      const g = single(dy);
      const zeros = tf.zerosLike(g);
      return {
        condition: () => tf.cast(tf.zerosLike(condition), 'float32'),
        t: () => tf.where(condition, g, zeros),
        e: () => tf.where(condition, zeros, g),
      };
    },
  },
];
