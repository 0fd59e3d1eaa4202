import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { webgpuBackend } from '@cnnkit/backend-webgpu';
import { BackendRegistry, selectBackend } from '@cnnkit/tensor-core';

/**
 * The backends the page offers, wasm first (the default: fast on every machine and
 * exact); webgpu where the browser has navigator.gpu; cpu as the reference.
 */
export const PAGE_BACKENDS = ['wasm', 'webgpu', 'cpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

export function isPageBackend(name: string): name is PageBackend {
  return (PAGE_BACKENDS as readonly string[]).includes(name);
}

/**
 * The page's own registry (not the default one), holding the backends it offers.
 * `wasmPaths` is the URL prefix the .wasm binaries are served under: the build
 * copies them next to the page, in wasm/.
 */
export function pageRegistry(wasmPaths: string): BackendRegistry {
  return new BackendRegistry().add(wasmBackend({ wasmPaths })).add(webgpuBackend()).add(cpuBackend());
}

/** Each offered backend and, where it cannot run in this browser, why not (for the picker). */
export async function pageBackendChoices(registry: BackendRegistry): Promise<Array<{ name: PageBackend; unavailable: string | null; label: string }>> {
  const choices = [];
  for (const name of PAGE_BACKENDS) {
    const availability = await registry.get(name)!.isAvailable();
    const label = availability.available && availability.adapter !== undefined
      ? `${name} (${availability.adapter.description || availability.adapter.vendor}${availability.adapter.software ? ', software' : ''})`
      : name;
    choices.push({ name, unavailable: availability.available ? null : availability.reason, label });
  }
  return choices;
}

/**
 * Makes `name` the backend every later tensor operation runs on. A page has no
 * environment, so `CNNKIT_BACKEND` is not consulted (`env: {}`).
 */
export async function activatePageBackend(registry: BackendRegistry, name: PageBackend): Promise<string> {
  const { plugin } = await selectBackend({ name, task: 'infer', registry, env: {} });
  return plugin.name;
}
