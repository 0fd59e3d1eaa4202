import { registerGradients, tf, type BackendPlugin } from '@cnnkit/tensor-core';
import tfjsCpuPackage from '@tensorflow/tfjs-backend-cpu/package.json' with { type: 'json' };

/**
 * The pure-JavaScript backend: always available, single-threaded, slow, and the
 * reference the other backends are compared with.
 *
 * @example
 * ```ts
 * import { defaultRegistry, selectBackend } from '@cnnkit/tensor-core';
 * import { cpuBackend } from '@cnnkit/backend-cpu';
 * defaultRegistry.add(cpuBackend());
 * await selectBackend({ name: 'cpu' });
 * ```
 */
export function cpuBackend(): BackendPlugin {
  return {
    name: 'cpu',
    packageName: '@cnnkit/backend-cpu',
    priority: 100,
    isAvailable: async () => ({ available: true }),
    capabilities: () => ({ device: 'cpu', training: true, inference: true, threads: 1 }),
    version: () => tfjsCpuPackage.version,
    activate: async () => {
      // The import registers tfjs's 'cpu' backend; it happens here, on request only.
      await import('@tensorflow/tfjs-backend-cpu');
      registerGradients();
      // tfjs's cpu backend prints a banner recommending tfjs-node on first use;
      // PROD silences tfjs's warnings (it changes no results).
      tf.env().set('PROD', true);
      if (!(await tf.setBackend('cpu'))) {
        throw new Error('backend cpu: tfjs refused to initialise the cpu backend');
      }
      await tf.ready();
    },
    // This module recreates the plugin in a worker thread (data-parallel training).
    worker: { module: import.meta.url, factory: 'cpuBackend' },
  };
}
