import { BackendRegistry, resolveBackend, tf } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from './webgpu-backend.js';

describe('webgpuBackend plugin', () => {
  it('creating and importing it registers nothing with tfjs', () => {
    webgpuBackend();
    expect(tf.findBackendFactory('webgpu')).toBeNull();
    expect(tf.getKernel(tf.MaxPoolGrad, 'webgpu')).toBeUndefined();
  });

  it('reports a GPU device that trains, and its adapter when one is found', async () => {
    const plugin = webgpuBackend();
    expect(plugin.capabilities()).toMatchObject({ device: 'gpu', training: true, inference: true });
    const availability = await plugin.isAvailable();
    if (!availability.available) return;
    expect(availability.adapter).toMatchObject({ vendor: expect.any(String), description: expect.any(String), software: expect.any(Boolean) });
    // auto selection passes over a software adapter; asking by name still gets it.
    const registry = new BackendRegistry().add(plugin);
    if (availability.adapter!.software) {
      await expect(resolveBackend({ registry, env: {} })).rejects.toThrow(/only a software adapter/);
    } else {
      expect((await resolveBackend({ registry, env: {} })).plugin.name).toBe('webgpu');
    }
    expect((await resolveBackend({ name: 'webgpu', registry, env: {} })).adapter).toEqual(availability.adapter);
  });
});
