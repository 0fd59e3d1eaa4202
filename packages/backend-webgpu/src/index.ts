export { webgpuBackend, type WebgpuBackendOptions } from './webgpu-backend.js';
export { probeAdapter, explainNoAdapter, type ProbeOptions, type ProbeResult } from './probe-adapter.js';
export { toAdapterInfo, type GpuAdapterInfoLike } from './adapter-info.js';
export { registerWebgpuTrainingKernels, WEBGPU_TRAINING_KERNELS } from './register-training-kernels.js';
export { DAWN_PACKAGE, DAWN_VERSION } from './dawn-package.js';
