import type { BackendName, BackendPlugin } from './backend-plugin.js';
import { BACKEND_NAMES } from './backend-plugin.js';
import { CnnkitError } from './errors.js';

/**
 * Holds the backend plugins a program has registered. Starts empty: importing a
 * backend package registers nothing until the program calls `registry.add(plugin)`.
 *
 * @example
 * ```ts
 * import { defaultRegistry } from '@cnnkit/tensor-core';
 * import { wasmBackend } from '@cnnkit/backend-wasm';
 * defaultRegistry.add(wasmBackend());
 * ```
 */
export class BackendRegistry {
  readonly #plugins = new Map<BackendName, BackendPlugin>();

  /** Adds a plugin; adding the same name twice replaces the earlier one. */
  add(plugin: BackendPlugin): this {
    if (!(BACKEND_NAMES as readonly string[]).includes(plugin.name)) {
      throw new CnnkitError(
        'BAD_PLUGIN',
        `backend registry: plugin name "${plugin.name}" is not a cnnkit backend; expected one of: ${BACKEND_NAMES.join(', ')}`,
      );
    }
    this.#plugins.set(plugin.name, plugin);
    return this;
  }

  get(name: BackendName): BackendPlugin | undefined {
    return this.#plugins.get(name);
  }

  /** Registered plugins, best priority first. */
  list(): BackendPlugin[] {
    return [...this.#plugins.values()].sort((a, b) => b.priority - a.priority);
  }

  names(): BackendName[] {
    return this.list().map((p) => p.name);
  }
}

/** The registry used when a function is not given one explicitly. */
export const defaultRegistry = new BackendRegistry();
