import { BackendRegistry, BackendUnavailableError, selectBackend, tf } from '@cnnkit/tensor-core';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { onnxBackend } from './onnx-backend.js';

describe('onnxBackend', () => {
  it('is a plugin that infers and trains (the ORT training engine), on the cpu, and reports onnxruntime-node and its version', async () => {
    const plugin = onnxBackend();
    expect(plugin.name).toBe('onnx');
    expect(plugin.capabilities()).toEqual({ device: 'cpu', training: true, inference: true, threads: 1 });
    expect(plugin.version()).toBeNull();
    expect(await plugin.isAvailable()).toEqual({ available: true });
    // The oracle is the onnxruntime-node this package resolves (any in the shared ^1.30.0 range).
    const installed = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
    expect(plugin.version()).toBe(installed);
    expect(installed).toMatch(/^1\.(3\d|[4-9]\d)\./);
  });

  it('activates without touching the active tfjs backend, and auto never picks it over a tfjs backend', async () => {
    const registry = new BackendRegistry().add(wasmBackend()).add(onnxBackend());
    await selectBackend({ name: 'wasm', registry });
    await selectBackend({ name: 'onnx', task: 'infer', registry });
    expect(tf.getBackend()).toBe('wasm');
    // It trains through the ORT engine (createOrtTrainer), still without touching tfjs.
    expect((await selectBackend({ name: 'onnx', task: 'train', registry })).plugin.name).toBe('onnx');
    expect(tf.getBackend()).toBe('wasm');
    for (const task of ['infer', 'train'] as const) {
      expect((await selectBackend({ task, registry })).plugin.name).toBe('wasm');
    }
  });

  it('explains a runtime that fails to load', async () => {
    const plugin = onnxBackend({ load: () => Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file\nmore')) });
    const availability = await plugin.isAvailable();
    expect(availability).toMatchObject({ available: false, reason: 'onnxruntime-node failed to load (libonnxruntime.so.1: cannot open shared object file)' });
    await expect(plugin.activate()).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(plugin.activate()).rejects.toThrow(/backend "onnx" is not available: .*npm install onnxruntime-node@\^1\.30\.0/);
    expect(plugin.version()).toBeNull();
  });
});
