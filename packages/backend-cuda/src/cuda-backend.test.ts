import { BackendRegistry, BackendUnavailableError, resolveBackend, type BackendPlugin } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { cudaBackend, TFJS_NODE_GPU } from './cuda-backend.js';

function cpuLike(): BackendPlugin {
  return {
    name: 'wasm', packageName: 'x', priority: 200,
    isAvailable: async () => ({ available: true }),
    capabilities: () => ({ device: 'cpu', training: true, inference: true, threads: 1 }),
    version: () => '1', activate: async () => {},
  };
}

describe('cuda backend', () => {
  it('is unavailable when tfjs-node-gpu is not installed, naming the package and the install command', async () => {
    const plugin = cudaBackend({ resolve: () => null });
    const availability = await plugin.isAvailable();
    expect(availability).toMatchObject({ available: false });
    if (availability.available) throw new Error('unreachable');
    expect(availability.reason).toContain(TFJS_NODE_GPU);
    expect(availability.fix).toContain(`npm install ${TFJS_NODE_GPU}`);
  });

  it('on this machine (no tfjs-node-gpu) explicit selection throws BackendUnavailableError with the hint', async () => {
    const registry = new BackendRegistry().add(cudaBackend()).add(cpuLike());
    const error = await resolveBackend({ name: 'cuda', registry, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toBe(
      `backend "cuda" is not available: the optional package ${TFJS_NODE_GPU} is not installed. ` +
        `Install it next to cnnkit with "npm install ${TFJS_NODE_GPU}@4.22.0" (needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1; ` +
        'its install downloads libtensorflow), or choose --backend wasm; on any other GPU (CUDA 12+, AMD, Intel, Apple) choose --backend webgpu.',
    );
  });

  it('auto selection skips it when missing and takes it first when installed', async () => {
    const missing = new BackendRegistry().add(cudaBackend({ resolve: () => null })).add(cpuLike());
    expect((await resolveBackend({ registry: missing, env: {} })).plugin.name).toBe('wasm');
    const present = new BackendRegistry().add(cudaBackend({ resolve: () => '/x/tfjs-node-gpu.js' })).add(cpuLike());
    expect((await resolveBackend({ registry: present, env: {} })).plugin.name).toBe('cuda');
  });

  it('imports tfjs-node-gpu only when activated, and reports a load failure with its cause', async () => {
    let loads = 0;
    const plugin = cudaBackend({
      resolve: () => '/x/tfjs-node-gpu.js',
      load: async () => {
        loads++;
        throw new Error('libcudart.so.11.0: cannot open shared object file');
      },
    });
    await plugin.isAvailable();
    plugin.capabilities();
    expect(loads).toBe(0);
    const error = await plugin.activate().catch((e: unknown) => e);
    expect(loads).toBe(1);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toContain('libcudart.so.11.0');
  });
});
