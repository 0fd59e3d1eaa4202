import * as tf from '@tensorflow/tfjs-core';
import type { AdapterInfo, BackendName, BackendPlugin, Task } from './backend-plugin.js';
import { BACKEND_NAMES } from './backend-plugin.js';
import {
  BackendCapabilityError,
  BackendUnavailableError,
  CnnkitError,
  UnknownBackendError,
} from './errors.js';
import { defaultRegistry, type BackendRegistry } from './registry.js';

export interface SelectBackendOptions {
  /** `cpu`, `wasm`, `webgpu`, `cuda`, `onnx` or `auto`. Default: `CNNKIT_BACKEND`, else `auto`. */
  name?: string | undefined;
  /** What the backend must be able to do. Default `train`. */
  task?: Task;
  registry?: BackendRegistry;
  /** Environment to read `CNNKIT_BACKEND` from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface SelectedBackend {
  plugin: BackendPlugin;
  /** Where the name came from: the call, the environment, or auto selection. */
  source: 'argument' | 'CNNKIT_BACKEND' | 'auto';
  /** The GPU adapter a GPU backend runs on, as its availability check reported it. */
  adapter?: AdapterInfo;
}

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

function canDo(plugin: BackendPlugin, task: Task): boolean {
  const caps = plugin.capabilities();
  return task === 'train' ? caps.training : caps.inference;
}

/**
 * Resolves which backend to use without activating it: an explicit name, else
 * `CNNKIT_BACKEND`, else the best available registered backend that can do `task`
 * (highest priority first; a backend whose only adapter is a software GPU is skipped).
 * Throws a typed error for an unknown name, an unavailable backend (with its fix),
 * or a backend that cannot do the task.
 */
export async function resolveBackend(options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const registry = options.registry ?? defaultRegistry;
  const task = options.task ?? 'train';
  const env = options.env ?? (typeof process === 'undefined' ? {} : process.env);
  const fromEnv = env.CNNKIT_BACKEND?.trim();
  const requested = options.name ?? (fromEnv ? fromEnv : undefined) ?? 'auto';
  const source: SelectedBackend['source'] =
    options.name !== undefined ? 'argument' : fromEnv ? 'CNNKIT_BACKEND' : 'auto';
  const capable = registry
    .list()
    .filter((p) => canDo(p, task))
    .map((p) => p.name);

  if (requested === 'auto') {
    const reasons: string[] = [];
    for (const plugin of registry.list()) {
      if (!canDo(plugin, task)) continue;
      const availability = await plugin.isAvailable();
      if (availability.available && availability.adapter?.software === true) {
        // A software GPU is a CPU emulation, far slower than the CPU backends: only on request.
        reasons.push(`${plugin.name}: only a software adapter (${availability.adapter.description}), never chosen by auto`);
        continue;
      }
      if (availability.available) return { plugin, source: 'auto', ...(availability.adapter ? { adapter: availability.adapter } : {}) };
      reasons.push(`${plugin.name}: ${availability.reason}`);
    }
    throw new CnnkitError(
      'NO_BACKEND',
      `backend selection: no registered backend can ${task === 'train' ? 'train' : 'run inference'} here` +
        (reasons.length > 0 ? ` (${reasons.join('; ')})` : ' (none registered: add a plugin such as @cnnkit/backend-wasm)'),
    );
  }
  const known = registry.names();
  if (!isBackendName(requested) || registry.get(requested) === undefined) {
    throw new UnknownBackendError(requested, known, source === 'argument' ? 'the backend option' : 'CNNKIT_BACKEND');
  }
  const plugin = registry.get(requested)!;
  const availability = await plugin.isAvailable();
  if (!availability.available) {
    throw new BackendUnavailableError(plugin.name, availability.reason, availability.fix);
  }
  if (!canDo(plugin, task)) throw new BackendCapabilityError(plugin.name, task, capable);
  return { plugin, source, ...(availability.adapter ? { adapter: availability.adapter } : {}) };
}

/**
 * Resolves and activates a backend, so that tensor operations run on it.
 *
 * @example
 * ```ts
 * defaultRegistry.add(cpuBackend()).add(wasmBackend());
 * const { plugin } = await selectBackend({ name: 'auto', task: 'train' });
 * console.log(plugin.name); // "wasm"
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const selected = await resolveBackend(options);
  await selected.plugin.activate();
  return selected;
}

/** The name of the tfjs backend operations currently run on. */
export function activeTfjsBackend(): string {
  return tf.getBackend();
}
