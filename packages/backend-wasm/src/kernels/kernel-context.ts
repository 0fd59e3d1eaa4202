import { tf } from '@cnnkit/tensor-core';

/**
 * Runs other wasm kernels from inside a kernel, the way tfjs backends compose
 * kernels: by their kernel functions on TensorInfos, not through the engine, so no
 * tape entries or engine tensors are created. Every intermediate is freed when the
 * kernel returns — a kernel leaves only its output allocated.
 */
export class KernelContext {
  readonly backend: tf.KernelBackend;
  readonly #temps: tf.TensorInfo[] = [];

  constructor(backend: tf.KernelBackend) {
    this.backend = backend;
  }

  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (kernel === undefined) {
      throw new Error(`cnnkit wasm kernel: expected tfjs-backend-wasm to provide ${kernelName}; it is not registered`);
    }
    const out = kernel.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap, attrs: attrs as tf.NamedAttrMap, backend: this.backend,
    }) as tf.TensorInfo;
    this.#temps.push(out);
    return out;
  }

  /** Tracks an output made outside `run` (e.g. by a wrapped kernel) as an intermediate. */
  adopt(info: tf.TensorInfo): tf.TensorInfo {
    this.#temps.push(info);
    return info;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run(tf.Reshape, { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run(tf.Transpose, { x }, { perm });
  }

  pad(x: tf.TensorInfo, paddings: Array<[number, number]>, constantValue = 0): tf.TensorInfo {
    return paddings.every(([a, b]) => a === 0 && b === 0) ? x : this.run(tf.PadV2, { x }, { paddings, constantValue });
  }

  /** A constant written straight into backend memory. */
  constant(values: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.TensorInfo {
    const dataId = this.backend.write(values, shape, dtype);
    const info: tf.TensorInfo = { dataId, shape, dtype };
    this.#temps.push(info);
    return info;
  }

  /**
   * Frees every intermediate except `keep`, which becomes the kernel's output.
   * Reshapes share a buffer with a reference count, so only `keep`'s own reference
   * is skipped; an output that is not an intermediate (an input) gets a reference.
   */
  release(keep: tf.TensorInfo): tf.TensorInfo {
    const index = this.#temps.indexOf(keep);
    if (index < 0) this.backend.incRef(keep.dataId);
    this.#temps.forEach((t, i) => {
      if (i !== index) this.backend.disposeData(t.dataId);
    });
    this.#temps.length = 0;
    return keep;
  }

  releaseAll(): void {
    for (const t of this.#temps) this.backend.disposeData(t.dataId);
    this.#temps.length = 0;
  }
}

/** A wasm kernel whose body composes other kernels through a `KernelContext`. */
export function composedKernel<I, A>(
  kernelName: string,
  body: (ctx: KernelContext, inputs: I, attrs: A) => tf.TensorInfo,
): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const ctx = new KernelContext(backend as tf.KernelBackend);
      try {
        return ctx.release(body(ctx, inputs as unknown as I, attrs as unknown as A));
      } catch (error) {
        ctx.releaseAll();
        throw error;
      }
    },
  };
}

/**
 * A one-hot depthwise filter [kh, kw, c, kh*kw]: convolving with it copies every
 * kernel tap of every channel into its own output channel (index c*kh*kw + tap).
 * That is im2col done by one fast depthwise convolution instead of many slices.
 */
export function windowFilter(kh: number, kw: number, channels: number): Float32Array {
  const taps = kh * kw;
  const f = new Float32Array(taps * channels * taps);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const tap = i * kw + j;
      for (let c = 0; c < channels; c++) f[(tap * channels + c) * taps + tap] = 1;
    }
  }
  return f;
}

export function pair(v: number | number[] | undefined): [number, number] {
  if (v === undefined) return [1, 1];
  return typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];
}

/**
 * Prepares an output gradient for a transposed convolution done as a plain one:
 * inserts stride-1 zeros between its cells and pads it so that a stride-1 'valid'
 * convolution with the flipped effective filter yields exactly the input's size.
 */
export function stuffAndPad(
  ctx: KernelContext,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  inputHeight: number,
  inputWidth: number,
): tf.TensorInfo {
  const [n, oh, ow, ch] = dy.shape;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: ekh, effectiveFilterWidth: ekw } = info;
  let grad = dy;
  if (sh > 1 || sw > 1) {
    const spread = ctx.pad(ctx.reshape(dy, [n, oh, 1, ow, 1, ch]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
    grad = ctx.reshape(spread, [n, oh * sh, ow * sw, ch]);
  }
  const top = ekh - 1 - info.padInfo.top;
  const left = ekw - 1 - info.padInfo.left;
  let bottom = inputHeight + ekh - 1 - top - grad.shape[1];
  let right = inputWidth + ekw - 1 - left - grad.shape[2];
  if (bottom < 0 || right < 0) {
    // Only the zeros stuffed after the last row/column can lie past the end.
    grad = ctx.run(tf.Slice, { x: grad }, {
      begin: [0, 0, 0, 0],
      size: [n, grad.shape[1] + Math.min(bottom, 0), grad.shape[2] + Math.min(right, 0), ch],
    });
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  return ctx.pad(grad, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}
