import { tf } from '@cnnkit/tensor-core';

/**
 * Runs other wasm kernels from inside a kernel, the way tfjs backends compose
 * kernels: by their kernel functions on TensorInfos, not through the engine, so no
 * tape entries or engine tensors are created. Every intermediate is freed by
 * `release` — a kernel must leave only its output allocated.
 */
export class KernelContext {
  readonly #backend: tf.KernelBackend;
  readonly #temps: tf.TensorInfo[] = [];

  constructor(backend: tf.KernelBackend) {
    this.#backend = backend;
  }

  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (kernel === undefined) {
      throw new Error(`cnnkit wasm kernel: expected tfjs-backend-wasm to provide ${kernelName}; it is not registered`);
    }
    const out = kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, attrs: attrs as tf.NamedAttrMap, backend: this.#backend }) as tf.TensorInfo;
    this.#temps.push(out);
    return out;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run(tf.Reshape, { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run(tf.Transpose, { x }, { perm });
  }

  /** A constant written straight into backend memory. */
  constant(values: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.TensorInfo {
    const dataId = this.#backend.write(values, shape, dtype);
    const info: tf.TensorInfo = { dataId, shape, dtype };
    this.#temps.push(info);
    return info;
  }

  /** Frees every intermediate except `keep`, which becomes the kernel's output. */
  release(keep: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.#temps) {
      if (t.dataId !== keep.dataId) this.#backend.disposeData(t.dataId);
    }
    this.#temps.length = 0;
    return keep;
  }

  /** Frees everything (on error). */
  releaseAll(): void {
    for (const t of this.#temps) this.#backend.disposeData(t.dataId);
    this.#temps.length = 0;
  }
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
