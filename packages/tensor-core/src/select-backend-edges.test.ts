import { afterEach, describe, expect, it } from 'vitest';
import type { BackendPlugin } from './backend-plugin.js';
import { CnnkitError, UnknownBackendError } from './errors.js';
import { BackendRegistry } from './registry.js';
import { activeTfjsBackend, resolveBackend, selectBackend } from './select-backend.js';
import { tf } from './tf.js';

// The paths select-backend.test.ts leaves out: the process environment as the
// default, inference wording, a known name with no plugin, and activation.

function plugin(name: BackendPlugin['name'], opts: { available?: boolean; training?: boolean; onActivate?: () => void } = {}): BackendPlugin {
  return {
    name,
    priority: 1,
    packageName: `@cnnkit/backend-${name}`,
    isAvailable: async () => (opts.available === false ? { available: false, reason: `${name} missing`, fix: 'install it' } : { available: true }),
    capabilities: () => ({ device: 'cpu', training: opts.training ?? true, inference: true, threads: 1 }),
    version: () => '1.0.0',
    activate: async () => opts.onActivate?.(),
  };
}

const saved = process.env.CNNKIT_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.CNNKIT_BACKEND;
  else process.env.CNNKIT_BACKEND = saved;
});

describe('resolveBackend and selectBackend, edge paths', () => {
  it('reads CNNKIT_BACKEND from the process environment when no env is given', async () => {
    const registry = new BackendRegistry().add(plugin('cpu')).add(plugin('wasm'));
    process.env.CNNKIT_BACKEND = 'cpu';
    expect(await resolveBackend({ registry })).toMatchObject({ plugin: { name: 'cpu' }, source: 'CNNKIT_BACKEND' });
    delete process.env.CNNKIT_BACKEND;
    expect((await resolveBackend({ registry })).source).toBe('auto');
  });
  it('says "run inference" when nothing can infer', async () => {
    const registry = new BackendRegistry().add(plugin('cuda', { available: false }));
    const error = await resolveBackend({ registry, task: 'infer', env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CnnkitError);
    expect(error).toMatchObject({ code: 'NO_BACKEND', message: 'backend selection: no registered backend can run inference here (cuda: cuda missing)' });
  });
  it('a valid backend name that is not registered is unknown, naming the registered ones and the source', async () => {
    const registry = new BackendRegistry().add(plugin('cpu'));
    const error = await resolveBackend({ name: 'wasm', registry, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownBackendError);
    expect((error as Error).message).toBe('backend selection: unknown backend "wasm" (from the backend option); expected one of: cpu, auto');
    const fromEnv = await resolveBackend({ registry, env: { CNNKIT_BACKEND: 'wasm' } }).catch((e: unknown) => e);
    expect((fromEnv as Error).message).toBe('backend selection: unknown backend "wasm" (from CNNKIT_BACKEND); expected one of: cpu, auto');
  });
  it('selectBackend activates the plugin it resolved, and activeTfjsBackend reports tfjs', async () => {
    let activated = 0;
    const registry = new BackendRegistry().add(plugin('cpu', { onActivate: () => activated++ }));
    const selected = await selectBackend({ registry, env: {} });
    expect(selected).toMatchObject({ plugin: { name: 'cpu' }, source: 'auto' });
    expect(activated).toBe(1);
    expect(activeTfjsBackend()).toBe(tf.getBackend());
  });
});
