import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { BackendRegistry, selectBackend } from '@cnnkit/tensor-core';

/** The backends the page offers, wasm first (the default: it is the fast one in a browser). */
export const PAGE_BACKENDS = ['wasm', 'cpu'] as const;
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
  return new BackendRegistry().add(wasmBackend({ wasmPaths })).add(cpuBackend());
}

/**
 * Makes `name` the backend every later tensor operation runs on. A page has no
 * environment, so `CNNKIT_BACKEND` is not consulted (`env: {}`).
 */
export async function activatePageBackend(registry: BackendRegistry, name: PageBackend): Promise<string> {
  const { plugin } = await selectBackend({ name, task: 'infer', registry, env: {} });
  return plugin.name;
}
