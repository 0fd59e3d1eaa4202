import { tf } from '@cnnkit/tensor-core';
import { maxPoolGradConfig } from './kernels/max-pool-grad.js';

/**
 * Kernels cnnkit replaces in tfjs's webgpu backend, each because the conformance
 * suite found tfjs's version wrong or missing for training.
 */
export const WEBGPU_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  // tfjs's sends a window's gradient to its last maximum; TensorFlow (and cpu, wasm) to the first.
  maxPoolGradConfig,
];

/** Registers the training kernels for the `webgpu` backend, replacing tfjs's where it has one (idempotent). */
export function registerWebgpuTrainingKernels(): void {
  for (const config of WEBGPU_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'webgpu') !== undefined) tf.unregisterKernel(config.kernelName, 'webgpu');
    tf.registerKernel(config);
  }
}
