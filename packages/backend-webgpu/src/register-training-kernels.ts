import { tf } from '@cnnkit/tensor-core';
import { addNKernel } from './kernels/add-n.js';
import { castKernel } from './kernels/cast.js';
import { maxPoolGradConfig } from './kernels/max-pool-grad.js';
import { transposeKernel } from './kernels/transpose.js';

/**
 * Kernels cnnkit replaces in tfjs's webgpu backend, each because the conformance
 * suite found tfjs's version wrong or missing for training.
 */
export const WEBGPU_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  // tfjs's sends a window's gradient to its last maximum; TensorFlow (and cpu, wasm) to the first.
  maxPoolGradConfig,
  // tfjs's int32/bool transposes of rank >= 3 do not compile (WGSL type mismatch).
  transposeKernel.config,
  // tfjs's int32/bool -> float32 cast relabels the i32 buffer instead of converting it.
  castKernel.config,
  // tfjs's AddN of 8+ tensors needs more storage buffers than WebGPU's default limit.
  addNKernel.config,
];

/** Registers the training kernels for the `webgpu` backend, replacing tfjs's where it has one (idempotent). */
export function registerWebgpuTrainingKernels(): void {
  transposeKernel.captureOriginal();
  castKernel.captureOriginal();
  addNKernel.captureOriginal();
  for (const config of WEBGPU_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'webgpu') !== undefined) tf.unregisterKernel(config.kernelName, 'webgpu');
    tf.registerKernel(config);
  }
}
