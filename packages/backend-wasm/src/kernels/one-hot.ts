import { tf } from '@cnnkit/tensor-core';
import { composedKernel, type KernelContext } from './kernel-context.js';

interface Attrs {
  depth: number;
  onValue: number;
  offValue: number;
  dtype: 'float32' | 'int32';
}

let original: tf.KernelFunc | undefined;
let originalSetup: tf.KernelSetupFunc | undefined;

/**
 * tfjs-backend-wasm's OneHot writes int32 values whatever dtype is asked, so a
 * float32 one-hot reads back as denormals (1 -> 1.4e-45). The original kernel is
 * run for 0/1 in int32, then cast and scaled to the requested values and dtype.
 */
export function oneHot(ctx: KernelContext, { indices }: { indices: tf.TensorInfo }, a: Attrs): tf.TensorInfo {
  if (original === undefined) throw new Error('OneHot (wasm): the tfjs kernel it wraps was not found');
  const bits = original({
    inputs: { indices }, backend: ctx.backend,
    attrs: { depth: a.depth, onValue: 1, offValue: 0, dtype: 'int32' } as unknown as tf.NamedAttrMap,
  }) as tf.TensorInfo;
  ctx.adopt(bits);
  if (a.dtype === 'int32' && a.onValue === 1 && a.offValue === 0) return bits;
  let values = ctx.run(tf.Cast, { x: bits }, { dtype: 'float32' });
  if (a.onValue !== 1 || a.offValue !== 0) {
    // hot * on + (1 - hot) * off: exact for both values, unlike hot * (on - off) + off.
    const on = ctx.constant(Float32Array.of(a.onValue), []);
    const off = ctx.constant(Float32Array.of(a.offValue), []);
    const one = ctx.constant(Float32Array.of(1), []);
    const cold = ctx.run(tf.Sub, { a: one, b: values });
    values = ctx.run(tf.Add, { a: ctx.run(tf.Multiply, { a: values, b: on }), b: ctx.run(tf.Multiply, { a: cold, b: off }) });
  }
  return a.dtype === 'int32' ? ctx.run(tf.Cast, { x: values }, { dtype: 'int32' }) : values;
}

/** Remembers tfjs's own OneHot the first time, so re-registering never wraps the wrapper. */
export function captureOriginalOneHot(): void {
  const current = tf.getKernel(tf.OneHot, 'wasm');
  if (current !== undefined && current.kernelFunc !== oneHotConfig.kernelFunc) {
    original = current.kernelFunc;
    originalSetup = current.setupFunc;
  }
}

/**
 * tfjs runs a kernel's setup (binding its wasm function) when the backend starts;
 * the replaced kernel's setup must still run, so this config carries it.
 */
export const oneHotConfig: tf.KernelConfig = {
  ...composedKernel(tf.OneHot, oneHot),
  setupFunc: (backend) => originalSetup?.(backend),
};
