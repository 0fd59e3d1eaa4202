import type { Model } from '@cnnkit/layers';
import { BackendUnavailableError, type Availability, type BackendPlugin } from '@cnnkit/tensor-core';

export const ONNXRUNTIME_NODE = 'onnxruntime-node';

const FIX = `Reinstall it with "npm install ${ONNXRUNTIME_NODE}@^1.30.0" (it ships native binaries for linux/macOS/windows x64 and arm64), or choose --backend wasm.`;

/** Just the part of onnxruntime-node this plugin reads. */
interface OrtModule {
  env: { versions: { node?: string; common?: string } };
}

export interface OnnxBackendOptions {
  /** Loads onnxruntime-node; tests inject a failing loader. */
  load?: () => Promise<unknown>;
}

/**
 * The onnx backend: onnxruntime-node running exported `.onnx` models
 * (`loadOnnxPredictor`), and the ORT training engine as its `trainingEngine`
 * (`capabilities().training` is true for that engine, not for tfjs training). It
 * is not a tfjs backend: activating it loads onnxruntime and leaves tfjs's active
 * backend alone. Its priority is the lowest, so `auto` never picks it for tfjs work.
 *
 * @example
 * ```ts
 * const registry = new BackendRegistry().add(onnxBackend());
 * await selectBackend({ name: 'onnx', task: 'infer', registry });
 * const predictor = await loadOnnxPredictor('run/model.onnx');
 * ```
 */
export function onnxBackend(options: OnnxBackendOptions = {}): BackendPlugin {
  const load = options.load ?? (() => import(ONNXRUNTIME_NODE));
  let loaded: OrtModule | null = null;
  let failure: string | null = null;
  const tryLoad = async (): Promise<Availability> => {
    if (loaded !== null) return { available: true };
    try {
      loaded = (await load()) as OrtModule;
      failure = null;
      return { available: true };
    } catch (cause) {
      failure = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      return { available: false, reason: `${ONNXRUNTIME_NODE} failed to load (${failure})`, fix: FIX };
    }
  };
  return {
    name: 'onnx',
    packageName: '@cnnkit/backend-onnx',
    priority: 10,
    isAvailable: tryLoad,
    // Trains through the ORT training engine (`cnnkit train --backend onnx`,
    // `createOrtTrainer` from @cnnkit/backend-onnx/training) and runs exported files.
    capabilities: () => ({ device: 'cpu', training: true, inference: true, threads: 1 }),
    version: () => (loaded === null ? null : (loaded.env.versions.node ?? loaded.env.versions.common ?? 'unknown')),
    activate: async () => {
      const availability = await tryLoad();
      if (!availability.available) throw new BackendUnavailableError('onnx', availability.reason, availability.fix);
    },
    // The engine and its check load on call: an inference-only install has no @cnnkit/layers.
    trainingEngine: {
      unsupported: async (model) => (await import('./training/entry.js')).ortTrainingUnsupported(model as Model),
      create: async (model) => (await import('./training/entry.js')).createOrtTrainer(model as Model),
    },
  };
}
