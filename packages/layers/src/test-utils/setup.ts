import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { webgpuBackend } from '@cnnkit/backend-webgpu';
import { defaultRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { expect } from 'vitest';
import { Input } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import { Model } from '../models/model.js';

/**
 * Activates the backend the suite runs on: `CNNKIT_TEST_BACKEND` (cpu, wasm or
 * webgpu, default cpu). `pnpm test` runs the whole suite on cpu and wasm, and the
 * training, save/load and resume files on webgpu (vitest.webgpu.config.ts).
 */
export async function useTestBackend(): Promise<void> {
  const name = process.env.CNNKIT_TEST_BACKEND || 'cpu';
  if (name !== 'cpu' && name !== 'wasm' && name !== 'webgpu') {
    throw new Error(`layers tests: expected CNNKIT_TEST_BACKEND cpu, wasm or webgpu, received "${name}"`);
  }
  if (!defaultRegistry.names().includes('cpu')) defaultRegistry.add(cpuBackend());
  if (!defaultRegistry.names().includes('wasm')) defaultRegistry.add(wasmBackend());
  if (!defaultRegistry.names().includes('webgpu')) defaultRegistry.add(webgpuBackend());
  await selectBackend({ name });
}

/** Asserts every value within `tol` (absolute) of the expected values. */
export function expectClose(actual: ArrayLike<number> | tf.Tensor, expected: ArrayLike<number>, tol = 1e-5): void {
  const values = actual instanceof tf.Tensor ? actual.dataSync() : actual;
  expect(values.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(values[i] - expected[i]) <= tol)) {
      throw new Error(`value ${i}: expected ${expected[i]} ± ${tol}, received ${values[i]}\nall: ${Array.from(values).join(', ')}`);
    }
  }
}

/**
 * Wraps one layer in a model fed by an input of the example shape, optionally sets
 * its weights (by weight name), and runs it on `x`.
 */
export function runLayer(
  layer: Layer,
  x: tf.Tensor,
  options: { weights?: Record<string, tf.Tensor>; training?: boolean; model?: Model } = {},
): { y: tf.Tensor; model: Model } {
  const model = options.model ?? oneLayerModel(layer, x.shape.slice(1) as number[]);
  return { y: runOn(model, layer, x, options), model };
}

function runOn(model: Model, layer: Layer, x: tf.Tensor, options: { weights?: Record<string, tf.Tensor>; training?: boolean }): tf.Tensor {
  if (options.weights) {
    for (const w of layer.weights) {
      const v = options.weights[w.name];
      if (v !== undefined) w.variable.assign(v);
    }
  }
  return model.call([x], { training: options.training ?? false })[0];
}

/** Builds a one-layer model on an input of shape `[null, ...shape]`. */
export function oneLayerModel(layer: Layer, shape: number[]): Model {
  const input = Input({ shape });
  return new Model({ inputs: input, outputs: layer.apply(input) });
}

/** TensorFlow's `same` padding before the first element: floor(total / 2). */
export function samePadBefore(inSize: number, outSize: number, k: number, s: number, d = 1): number {
  const eff = (k - 1) * d + 1;
  return Math.floor(Math.max((outSize - 1) * s + eff - inSize, 0) / 2);
}

/** Float64 reference of a NHWC convolution (kernel [kh, kw, ci, co]). */
export function refConv2d(
  x: Float64Array | number[], [n, h, w, ci]: number[],
  k: Float64Array | number[], [kh, kw, , co]: number[],
  stride: [number, number], padding: 'same' | 'valid', dilation: [number, number] = [1, 1],
): { values: number[]; shape: number[] } {
  const effH = (kh - 1) * dilation[0] + 1;
  const effW = (kw - 1) * dilation[1] + 1;
  const oh = padding === 'same' ? Math.ceil(h / stride[0]) : Math.floor((h - effH) / stride[0]) + 1;
  const ow = padding === 'same' ? Math.ceil(w / stride[1]) : Math.floor((w - effW) / stride[1]) + 1;
  const pt = padding === 'same' ? samePadBefore(h, oh, kh, stride[0], dilation[0]) : 0;
  const pl = padding === 'same' ? samePadBefore(w, ow, kw, stride[1], dilation[1]) : 0;
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < co; o++) {
          let s = 0;
          for (let a = 0; a < kh; a++)
            for (let c = 0; c < kw; c++) {
              const y = i * stride[0] + a * dilation[0] - pt;
              const xx = j * stride[1] + c * dilation[1] - pl;
              if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
              for (let q = 0; q < ci; q++) s += x[((b * h + y) * w + xx) * ci + q] * k[((a * kw + c) * ci + q) * co + o];
            }
          out.push(s);
        }
  return { values: out, shape: [n, oh, ow, co] };
}

/** Deterministic pseudo-random values in [-1, 1) for test inputs. */
export function values(count: number, seed = 1): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}
