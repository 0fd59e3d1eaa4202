import { BackendUnavailableError, registerGradients, tf, type BackendPlugin } from '@cnnkit/tensor-core';

export const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';

export interface CudaBackendOptions {
  /**
   * Finds the tfjs-node-gpu package without loading it; returns null when it is
   * not installed. Tests inject this; the default asks Node's module resolver.
   */
  resolve?: () => string | null;
  /** Loads the package (which registers tfjs's `tensorflow` backend). */
  load?: () => Promise<unknown>;
}

function defaultResolve(): string | null {
  try {
    return import.meta.resolve(TFJS_NODE_GPU);
  } catch {
    return null;
  }
}

// tfjs-node-gpu 4.22 is built against CUDA 11.2 + cuDNN 8.1; on CUDA 12 it cannot load
// libcudnn.so.8 and silently runs on the CPU (tensorflow/tfjs#8269): say so, and where else to go.
const INSTALL_HINT =
  `Install it next to cnnkit with "npm install ${TFJS_NODE_GPU}@4.22.0" (needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1; ` +
  'its install downloads libtensorflow), or choose --backend wasm; on any other GPU (CUDA 12+, AMD, Intel, Apple) choose --backend webgpu.';

/**
 * The CUDA backend: @tensorflow/tfjs-node-gpu, an optional peer dependency imported
 * only when this backend is activated. It registers under tfjs's name `tensorflow`.
 *
 * @example
 * ```ts
 * defaultRegistry.add(cudaBackend());
 * await selectBackend({ name: 'cuda' }); // throws BackendUnavailableError with the install command if missing
 * ```
 */
export function cudaBackend(options: CudaBackendOptions = {}): BackendPlugin {
  const resolve = options.resolve ?? defaultResolve;
  const load = options.load ?? (() => import(TFJS_NODE_GPU));
  let loadedVersion: string | null = null;
  return {
    name: 'cuda',
    packageName: '@cnnkit/backend-cuda',
    priority: 300,
    isAvailable: async () =>
      resolve() === null
        ? { available: false, reason: `the optional package ${TFJS_NODE_GPU} is not installed`, fix: INSTALL_HINT }
        : { available: true },
    capabilities: () => ({ device: 'gpu', training: true, inference: true, threads: 1 }),
    version: () => loadedVersion,
    activate: async () => {
      if (resolve() === null) {
        throw new BackendUnavailableError('cuda', `the optional package ${TFJS_NODE_GPU} is not installed`, INSTALL_HINT);
      }
      try {
        const mod = (await load()) as { version?: { 'tfjs-node'?: string } };
        loadedVersion = mod.version?.['tfjs-node'] ?? 'unknown';
      } catch (cause) {
        throw new BackendUnavailableError(
          'cuda',
          `${TFJS_NODE_GPU} is installed but failed to load (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)})`,
          'Check the CUDA and cuDNN libraries it needs are on LD_LIBRARY_PATH, or choose --backend wasm.',
          { cause },
        );
      }
      registerGradients();
      if (!(await tf.setBackend('tensorflow'))) {
        throw new Error('backend cuda: tfjs could not initialise the "tensorflow" backend of tfjs-node-gpu');
      }
      await tf.ready();
    },
  };
}
