export { wasmBackend, type WasmBackendOptions } from './wasm-backend.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register-training-kernels.js';
