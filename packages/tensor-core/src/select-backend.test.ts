import { describe, expect, it } from 'vitest';
import type { BackendPlugin } from './backend-plugin.js';
import { BackendCapabilityError, BackendUnavailableError, UnknownBackendError } from './errors.js';
import { BackendRegistry } from './registry.js';
import { resolveBackend } from './select-backend.js';

function plugin(
  name: BackendPlugin['name'],
  priority: number,
  opts: { available?: boolean; training?: boolean; software?: boolean } = {},
): BackendPlugin {
  const adapter = opts.software === undefined ? undefined
    : { vendor: 'v', architecture: 'a', description: opts.software ? 'SwiftShader driver' : 'NVIDIA H200', software: opts.software };
  return {
    name, priority, packageName: `@cnnkit/backend-${name}`,
    isAvailable: async () =>
      opts.available === false ? { available: false, reason: `${name} missing`, fix: `npm install ${name}-thing` }
        : adapter === undefined ? { available: true } : { available: true, adapter },
    capabilities: () => ({ device: 'cpu', training: opts.training ?? true, inference: true, threads: 1 }),
    version: () => '1.0.0',
    activate: async () => {},
  };
}

const registry = () =>
  new BackendRegistry()
    .add(plugin('cpu', 100))
    .add(plugin('wasm', 200))
    .add(plugin('cuda', 300, { available: false }))
    .add(plugin('onnx', 250, { training: false }));

describe('resolveBackend', () => {
  it.each([
    // [name, env, task, expected backend, expected source]
    [undefined, {}, 'train', 'wasm', 'auto'],
    [undefined, {}, 'infer', 'onnx', 'auto'],
    ['auto', { CNNKIT_BACKEND: 'cpu' }, 'train', 'wasm', 'auto'],
    [undefined, { CNNKIT_BACKEND: 'cpu' }, 'train', 'cpu', 'CNNKIT_BACKEND'],
    ['cpu', { CNNKIT_BACKEND: 'wasm' }, 'train', 'cpu', 'argument'],
    [undefined, { CNNKIT_BACKEND: ' ' }, 'train', 'wasm', 'auto'],
  ] as const)('name %s, env %j, task %s -> %s (%s)', async (name, env, task, expected, source) => {
    const selected = await resolveBackend({ name, env, task, registry: registry() });
    expect(selected.plugin.name).toBe(expected);
    expect(selected.source).toBe(source);
  });

  it('an unknown name lists the known ones and says where it came from', async () => {
    await expect(resolveBackend({ name: 'tpu', registry: registry(), env: {} })).rejects.toThrow(
      new UnknownBackendError('tpu', ['cuda', 'onnx', 'wasm', 'cpu'], 'the backend option'),
    );
    await expect(resolveBackend({ registry: registry(), env: { CNNKIT_BACKEND: 'gpu' } })).rejects.toThrow(
      'backend selection: unknown backend "gpu" (from CNNKIT_BACKEND); expected one of: cuda, onnx, wasm, cpu, auto',
    );
  });

  it('an unavailable backend says why and how to fix it', async () => {
    const error = await resolveBackend({ name: 'cuda', registry: registry(), env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toBe('backend "cuda" is not available: cuda missing. npm install cuda-thing');
  });

  it('a backend that cannot train is refused for training, naming those that can', async () => {
    const error = await resolveBackend({ name: 'onnx', task: 'train', registry: registry(), env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendCapabilityError);
    expect((error as Error).message).toBe('backend "onnx" cannot train; backends that can: cuda, wasm, cpu');
  });

  it('auto with nothing usable explains each candidate', async () => {
    const only = new BackendRegistry().add(plugin('cuda', 300, { available: false }));
    await expect(resolveBackend({ registry: only, env: {} })).rejects.toThrow(
      'backend selection: no registered backend can train here (cuda: cuda missing)',
    );
    await expect(resolveBackend({ registry: new BackendRegistry(), env: {} })).rejects.toThrow(/none registered/);
  });

  it.each([
    // [webgpu adapter, task, expected under auto]
    [false, 'train', 'webgpu'],
    [false, 'infer', 'webgpu'],
    [true, 'train', 'wasm'],
    [true, 'infer', 'wasm'],
  ] as const)('auto with a webgpu adapter (software: %s) for %s picks %s', async (software, task, expected) => {
    const reg = new BackendRegistry().add(plugin('cpu', 100)).add(plugin('wasm', 200)).add(plugin('webgpu', 250, { software }));
    expect((await resolveBackend({ registry: reg, env: {}, task })).plugin.name).toBe(expected);
  });

  it('the selection carries the adapter the availability check found, by name and under auto', async () => {
    const reg = new BackendRegistry().add(plugin('wasm', 200)).add(plugin('webgpu', 250, { software: false }));
    const hardware = { vendor: 'v', architecture: 'a', description: 'NVIDIA H200', software: false };
    expect((await resolveBackend({ registry: reg, env: {} })).adapter).toEqual(hardware);
    expect((await resolveBackend({ name: 'webgpu', registry: reg, env: {} })).adapter).toEqual(hardware);
    expect((await resolveBackend({ name: 'wasm', registry: reg, env: {} })).adapter).toBeUndefined();
  });

  it('a software adapter still serves an explicit name, and auto says why it passed it over', async () => {
    const reg = new BackendRegistry().add(plugin('webgpu', 250, { software: true }));
    expect((await resolveBackend({ name: 'webgpu', registry: reg, env: {} })).plugin.name).toBe('webgpu');
    await expect(resolveBackend({ registry: reg, env: {} })).rejects.toThrow(
      'backend selection: no registered backend can train here (webgpu: only a software adapter (SwiftShader driver), never chosen by auto)',
    );
  });
});
