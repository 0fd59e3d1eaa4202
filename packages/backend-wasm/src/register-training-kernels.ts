import { tf } from '@cnnkit/tensor-core';
import { conv2dBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './kernels/conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig } from './kernels/depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './kernels/depthwise-backprop-input.js';
import { maxPoolGradConfig } from './kernels/max-pool-grad.js';
import { captureOriginalOneHot, oneHotConfig } from './kernels/one-hot.js';
import { captureOriginalConvolutions, SAME_PADDING_KERNELS } from './kernels/same-padding.js';

/**
 * Kernels cnnkit adds to tfjs's wasm backend so that CNNs train on it: the three
 * it lacks, MaxPoolGrad, which it has but gets wrong (see the conformance suite),
 * Conv2DBackpropInput, which it has but runs 10-20x slower than a convolution,
 * OneHot, which returns int32 bits for a float32 request, and its convolutions
 * (plain, fused, depthwise), whose "same" padding is wrong when the stride is longer
 * than the kernel (wrapped: those calls get explicit padding).
 */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  maxPoolGradConfig,
  oneHotConfig,
  ...SAME_PADDING_KERNELS,
];

/** Registers the training kernels for the `wasm` backend, replacing tfjs's where it has one (idempotent). */
export function registerWasmTrainingKernels(): void {
  captureOriginalOneHot();
  captureOriginalConvolutions();
  for (const config of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}
