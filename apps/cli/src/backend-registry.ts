import { BackendRegistry } from '@cnnkit/tensor-core';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { cudaBackend } from '@cnnkit/backend-cuda';
import { onnxBackend } from '@cnnkit/backend-onnx';
import { wasmBackend } from '@cnnkit/backend-wasm';

/** Every backend the CLI ships with, registered in one place. */
export function cliRegistry(): BackendRegistry {
  return new BackendRegistry().add(cpuBackend()).add(wasmBackend()).add(cudaBackend()).add(onnxBackend());
}
