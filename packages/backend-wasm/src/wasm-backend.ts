import { registerGradients, tf, type BackendPlugin } from '@cnnkit/tensor-core';
import tfjsWasmPackage from '@tensorflow/tfjs-backend-wasm/package.json' with { type: 'json' };
import { registerWasmTrainingKernels } from './register-training-kernels.js';

export interface WasmBackendOptions {
  /**
   * Where the .wasm binaries are served from, for browsers (a URL prefix ending in
   * "/"). In Node the binaries are read from the installed package.
   */
  wasmPaths?: string;
}

/** True when this JavaScript engine validates a WebAssembly SIMD module. */
function hasSimd(): boolean {
  try {
    // (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
    return WebAssembly.validate(new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
    ]));
  } catch {
    return false;
  }
}

/**
 * The WebAssembly backend (XNNPACK kernels with SIMD), plus the kernels cnnkit adds
 * so CNNs can train on it (tfjs's wasm backend lacks Conv2DBackpropFilter and the
 * depthwise backprops). In Node it runs one thread: tfjs turns wasm threads off there.
 * To use more cores, train data-parallel: each worker thread recreates this plugin
 * from `worker` (this module and `options`) and runs its own wasm instance
 * (`createDataParallelTrainer` in `@cnnkit/layers`).
 *
 * @example
 * ```ts
 * defaultRegistry.add(wasmBackend());
 * await selectBackend({ name: 'wasm', task: 'train' });
 * ```
 */
export function wasmBackend(options: WasmBackendOptions = {}): BackendPlugin {
  return {
    name: 'wasm',
    packageName: '@cnnkit/backend-wasm',
    priority: 200,
    isAvailable: async () =>
      typeof WebAssembly === 'object'
        ? { available: true }
        : { available: false, reason: 'this JavaScript engine has no WebAssembly', fix: 'Use Node.js 20 or newer, or choose --backend cpu.' },
    capabilities: () => ({ device: 'cpu', training: true, inference: true, threads: 1 }),
    version: () => `${tfjsWasmPackage.version}${hasSimd() ? ' (simd)' : ''}`,
    activate: async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
      registerWasmTrainingKernels();
      registerGradients();
      if (!(await tf.setBackend('wasm'))) {
        throw new Error('backend wasm: tfjs could not initialise the WebAssembly backend (see the warning above)');
      }
      await tf.ready();
    },
    // This module recreates the plugin in a worker thread (wasmPaths is a plain string).
    worker: { module: import.meta.url, factory: 'wasmBackend', options },
  };
}
