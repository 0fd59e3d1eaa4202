import { BackendUnavailableError, registerGradients, tf, type AdapterInfo, type BackendPlugin } from '@cnnkit/tensor-core';
import tfjsWebgpuPackage from '@tensorflow/tfjs-backend-webgpu/package.json' with { type: 'json' };
import { probeAdapter, toAvailability, type ProbeOptions, type ProbeResult } from './probe-adapter.js';
import { failReadsOnGpuErrors } from './gpu-errors.js';
import { registerWebgpuTrainingKernels } from './register-training-kernels.js';

export type WebgpuBackendOptions = ProbeOptions;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/**
 * The WebGPU backend: tfjs-backend-webgpu on any GPU with a Vulkan, Metal or
 * Direct3D 12 driver, plus the kernels cnnkit replaces for training. In Node it
 * takes `navigator.gpu` from Dawn (the optional package `webgpu`), loaded only when
 * the backend is activated; in a browser it uses the page's `navigator.gpu`.
 *
 * `isAvailable()` reports the adapter (vendor, architecture, description, and
 * whether it is a software emulation such as SwiftShader); `auto` selection never
 * picks a software adapter, but asking for `webgpu` by name uses it.
 *
 * Tensors on this backend live on the GPU: read them with `await t.data()`, since
 * WebGPU has no synchronous read-back in Node (`dataSync()` fails there).
 *
 * @example
 * ```ts
 * defaultRegistry.add(webgpuBackend()).add(wasmBackend());
 * const { plugin } = await selectBackend({ name: 'auto', task: 'train' }); // webgpu on a hardware GPU
 * ```
 */
export function webgpuBackend(options: WebgpuBackendOptions = {}): BackendPlugin {
  let probe: Promise<ProbeResult> | undefined;
  let activeAdapter: AdapterInfo | null = null;
  const found = () => (probe ??= probeAdapter(options));
  return {
    name: 'webgpu',
    packageName: '@cnnkit/backend-webgpu',
    // Above the CPU engines (wasm 200); below cuda (300), which a user installs on purpose.
    priority: 250,
    isAvailable: async () => toAvailability(await found()),
    capabilities: () => ({ device: 'gpu', training: true, inference: true, threads: 1 }),
    version: () => tfjsWebgpuPackage.version + (activeAdapter === null ? '' : ` (${activeAdapter.description})`),
    activate: async () => {
      const result = await found();
      if (!result.available) throw new BackendUnavailableError('webgpu', result.reason, result.fix);
      if (isNode) {
        // The backend registers itself at import only when navigator.gpu exists: Dawn first.
        const { installDawn } = await import('./dawn.js');
        await installDawn(options.dawnFlags);
      }
      // tfjs-webgpu runs small ops on the CPU when their inputs are still CPU-side, so the
      // same model gave different last bits right after loading than after training.
      // Everything on the GPU: one set of kernels, reproducible results. The module reads
      // the flag once when it loads, so it is registered and set before the import.
      tf.env().registerFlag('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', () => 0);
      tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
      await import('@tensorflow/tfjs-backend-webgpu');
      if (options.powerPreference === 'low-power') tf.env().set('WEBGPU_USE_LOW_POWER_GPU', true);
      registerWebgpuTrainingKernels();
      registerGradients();
      if (!(await tf.setBackend('webgpu'))) {
        throw new BackendUnavailableError(
          'webgpu',
          `tfjs could not create a WebGPU device on ${result.adapter.description} (see the warning above)`,
          'Update the GPU driver, or choose --backend wasm.',
        );
      }
      await tf.ready();
      failReadsOnGpuErrors(tf.backend() as unknown as Parameters<typeof failReadsOnGpuErrors>[0]);
      activeAdapter = result.adapter;
    },
  };
}
