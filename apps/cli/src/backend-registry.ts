import { BackendRegistry } from '@cnnkit/tensor-core';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { cudaBackend } from '@cnnkit/backend-cuda';
import { onnxBackend } from '@cnnkit/backend-onnx';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { webgpuBackend } from '@cnnkit/backend-webgpu';

let registry: BackendRegistry | undefined;

/**
 * Every backend the CLI ships with, registered in one place. One registry per
 * process, so each plugin's availability check (webgpu's spawns a probe) runs once.
 */
export function cliRegistry(): BackendRegistry {
  registry ??= new BackendRegistry().add(cpuBackend()).add(wasmBackend()).add(webgpuBackend()).add(cudaBackend()).add(onnxBackend());
  return registry;
}
