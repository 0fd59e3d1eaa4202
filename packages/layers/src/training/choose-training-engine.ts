import { CnnkitError, defaultRegistry, resolveBackend, selectBackend, type AdapterInfo, type BackendName, type BackendPlugin, type BackendRegistry } from '@cnnkit/tensor-core';
import type { Model } from '../models/model.js';
import { workerSetupOf } from './data-parallel-protocol.js';
import { createDataParallelTrainer, defaultWorkerCount } from './data-parallel-trainer.js';
import type { TrainingEngine } from './training-engine.js';

/**
 * How training steps run: `tfjs` — fit's own steps on the active tfjs backend (cpu, wasm,
 * webgpu, cuda); `data-parallel` — replicas on worker threads (wasm, cpu); `ort` — one
 * ONNX graph per step in onnxruntime (the onnx backend).
 */
export const ENGINE_KINDS = ['tfjs', 'data-parallel', 'ort'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

export interface ChooseTrainingEngineOptions {
  /** A backend name is obeyed; `auto` (the default) applies the rule of {@link chooseTrainingEngine}. */
  backend?: BackendName | 'auto';
  /** Where the plugins are. Default `defaultRegistry`. */
  registry?: BackendRegistry;
  /**
   * Worker threads of a data-parallel engine (wasm, cpu). Default: the cores, at most 8.
   * Given with `auto`, it asks for a worker-thread engine, so ORT is not considered.
   */
  workers?: number;
}

export interface ChosenTrainingEngine {
  kind: EngineKind;
  /** The backend whose engine trains (`onnx` for ORT). */
  backend: BackendName;
  /** The tfjs backend now active on this thread: the data pipeline, metrics and validation run there. */
  tfjsBackend: BackendName;
  /** Replicas on worker threads (1 unless data-parallel). */
  workers: number;
  /** For `fit({ engine })`; undefined: fit's own steps. */
  engine: TrainingEngine | undefined;
  /** The GPU adapter, for a GPU backend. */
  adapter?: AdapterInfo;
  /** One line for a person: which engine trains, and why this one. */
  reason: string;
  /** Ends what the engine holds (worker threads, sessions). Idempotent. */
  dispose(): Promise<void>;
}

const GPU_BACKENDS: readonly BackendName[] = ['cuda', 'webgpu'];
/** The tfjs backends that run the data pipeline beside ORT, best first. */
const PIPELINE_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

function isEngine(value: unknown): value is TrainingEngine {
  const e = value as Partial<TrainingEngine> | null;
  return e !== null && typeof e === 'object' && typeof e.step === 'function' && typeof e.begin === 'function' && typeof e.end === 'function';
}

async function available(plugin: BackendPlugin | undefined): Promise<{ ok: true; adapter?: AdapterInfo } | { ok: false; why: string }> {
  if (plugin === undefined) return { ok: false, why: 'not registered' };
  const a = await plugin.isAvailable();
  return a.available ? { ok: true, ...(a.adapter ? { adapter: a.adapter } : {}) } : { ok: false, why: a.reason };
}

/** Activates the tfjs backend that feeds ORT: wasm where it runs, else cpu. */
async function pipelineBackend(registry: BackendRegistry): Promise<BackendName> {
  const missing: string[] = [];
  for (const name of PIPELINE_BACKENDS) {
    const state = await available(registry.get(name));
    if (state.ok) {
      await selectBackend({ name, task: 'train', registry });
      return name;
    }
    missing.push(`${name}: ${state.why}`);
  }
  throw new CnnkitError('NO_BACKEND', `chooseTrainingEngine: the ORT engine needs a tfjs backend beside it for the data and the metrics, expected wasm or cpu, found none (${missing.join('; ')})`);
}

async function ortEngine(model: Model, registry: BackendRegistry, why: string): Promise<ChosenTrainingEngine> {
  const plugin = registry.get('onnx')!;
  const tfjsBackend = await pipelineBackend(registry);
  const created = await plugin.trainingEngine!.create(model);
  if (!isEngine(created)) throw new CnnkitError('INVALID_PLUGIN', `chooseTrainingEngine: the onnx plugin's trainingEngine.create returned no TrainingEngine (expected begin, step and end)`);
  const disposable = created as TrainingEngine & { dispose?: () => Promise<void> | void };
  let disposed = false;
  return {
    kind: 'ort',
    backend: 'onnx',
    tfjsBackend,
    workers: 1,
    engine: created,
    reason: `ORT (onnxruntime-node${plugin.version() === null ? '' : ` ${plugin.version()}`}, ${tfjsBackend} for the data): ${why}`,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await disposable.dispose?.();
    },
  };
}

/** fit's own steps on `name`, or data-parallel replicas of it on worker threads. */
async function tfjsEngine(model: Model, name: BackendName, registry: BackendRegistry, requested: number | undefined, reason: string): Promise<ChosenTrainingEngine> {
  let why = reason;
  const { plugin, adapter } = await selectBackend({ name, task: 'train', registry });
  if (plugin.worker === undefined) {
    if (requested !== undefined && requested > 1) {
      throw new CnnkitError(
        'INVALID_ARGUMENT',
        `chooseTrainingEngine: ${requested} workers need a backend that runs in worker threads (wasm or cpu); ${name} runs one instance; drop the worker count or use wasm`,
      );
    }
    return { kind: 'tfjs', backend: name, tfjsBackend: name, workers: 1, engine: undefined, ...(adapter ? { adapter } : {}), reason: `${name}${adapter ? ` on ${adapter.description}` : ''}: ${why}`, dispose: async () => {} };
  }
  let workers = requested ?? (await defaultWorkerCount());
  const unbuildable = workerSetupOf(model.layers).missing;
  if (requested === undefined && workers > 1 && unbuildable.length > 0) {
    // Worker threads could not rebuild these; one instance trains every layer.
    workers = 1;
    why = `${why}${why === '' ? '' : '; '}worker threads cannot rebuild layer ${unbuildable.join(', ')} (registered on this thread only)`;
  }
  if (!Number.isInteger(workers) || workers < 1) {
    throw new CnnkitError('INVALID_ARGUMENT', `chooseTrainingEngine: expected workers a positive integer, received ${workers}`);
  }
  if (workers === 1) return { kind: 'tfjs', backend: name, tfjsBackend: name, workers: 1, engine: undefined, reason: `${name}, one instance on this thread: ${why}`, dispose: async () => {} };
  const trainer = await createDataParallelTrainer(model, undefined, { backend: plugin, workers });
  return {
    kind: 'data-parallel',
    backend: name,
    tfjsBackend: name,
    workers,
    engine: trainer,
    reason: `data-parallel ${name} x${workers} (worker threads): ${why}`,
    dispose: () => trainer.dispose(),
  };
}

/**
 * The one place that decides how a model's training steps run. A named backend is
 * obeyed (`onnx` trains through ORT, failing in one line if ORT cannot train the model;
 * wasm and cpu train data-parallel on `workers` threads, the cores by default). `auto`
 * takes the fastest engine that trains every layer of the model:
 *
 * 1. a GPU backend (cuda, then webgpu) that is available on a hardware adapter;
 * 2. else the ORT engine, when the onnx backend is registered and available and its
 *    compiler covers the model (layers, activations, optimizer, loss; `workers` not given);
 * 3. else wasm, data-parallel on the cores; else cpu the same way.
 *
 * The model must be compiled. The returned `reason` says which engine trains and why
 * the ones above it were passed over.
 *
 * @example
 * ```ts
 * const chosen = await chooseTrainingEngine(model, { backend: 'auto' });
 * console.log(chosen.reason); // "ORT (onnxruntime-node 1.30.0, wasm for the data): ..."
 * try { await model.fit(data, { epochs: 5, engine: chosen.engine }); } finally { await chosen.dispose(); }
 * ```
 */
export async function chooseTrainingEngine(model: Model, options: ChooseTrainingEngineOptions = {}): Promise<ChosenTrainingEngine> {
  const registry = options.registry ?? defaultRegistry;
  const backend = options.backend ?? 'auto';
  if (model.compiled === null) {
    throw new CnnkitError('NOT_COMPILED', `chooseTrainingEngine: model "${model.name}" must be compiled first: model.compile({ optimizer, loss, metrics })`);
  }
  if (backend !== 'auto') {
    switch (backend) {
      case 'onnx': {
        await resolveBackend({ name: 'onnx', task: 'train', registry }); // unknown / unavailable: its own one-line error
        if (options.workers !== undefined && options.workers > 1) {
          throw new CnnkitError('INVALID_ARGUMENT', `chooseTrainingEngine: ${options.workers} workers need a backend that runs in worker threads (wasm or cpu); onnx uses onnxruntime's own threads; drop the worker count or use wasm`);
        }
        const provider = registry.get('onnx')!.trainingEngine;
        if (provider === undefined) throw new CnnkitError('INVALID_PLUGIN', 'chooseTrainingEngine: the registered onnx plugin brings no trainingEngine; install a @cnnkit/backend-onnx of the same version');
        const why = await provider.unsupported(model);
        if (why !== null) {
          throw new CnnkitError('UNSUPPORTED_MODEL', `chooseTrainingEngine: backend onnx cannot train model "${model.name}": ${why}; use backend wasm, or auto, which picks the next engine`);
        }
        return ortEngine(model, registry, 'asked for');
      }
      case 'cpu':
      case 'wasm':
      case 'webgpu':
      case 'cuda':
        return tfjsEngine(model, backend, registry, options.workers, 'asked for');
      default: {
        const never: never = backend;
        throw new CnnkitError('UNKNOWN_BACKEND', `chooseTrainingEngine: unknown backend ${String(never)}`);
      }
    }
  }

  const passed: string[] = [];
  for (const name of GPU_BACKENDS) {
    const state = await available(registry.get(name));
    if (state.ok && state.adapter?.software !== true) return tfjsEngine(model, name, registry, options.workers, `a GPU, the fastest${passed.length > 0 ? ` (${passed.join('; ')})` : ''}`);
    // Short: `cnnkit backends` (the plugin's isAvailable) tells the whole story of a missing GPU.
    if (registry.get(name) !== undefined) passed.push(`${name}: ${state.ok ? 'only a software adapter' : 'not available'}`);
  }
  const onnx = registry.get('onnx');
  if (options.workers !== undefined) {
    passed.push(`ORT: a worker count was given, which asks for worker threads`);
  } else if (onnx === undefined) {
    passed.push('ORT: the onnx backend (@cnnkit/backend-onnx) is not registered');
  } else {
    const state = await available(onnx);
    if (!state.ok) passed.push(`ORT: ${state.why}`);
    else if (onnx.trainingEngine === undefined) passed.push('ORT: the onnx plugin brings no training engine');
    else {
      const why = await onnx.trainingEngine.unsupported(model);
      if (why === null) return ortEngine(model, registry, `covers every layer of the model, the fastest CPU engine${passed.length > 0 ? ` (${passed.join('; ')})` : ''}`);
      passed.push(`ORT cannot train this model: ${why}`);
    }
  }
  for (const name of PIPELINE_BACKENDS) {
    const state = await available(registry.get(name));
    if (state.ok) return tfjsEngine(model, name, registry, options.workers, passed.join('; '));
    if (registry.get(name) !== undefined) passed.push(`${name}: ${state.why}`);
  }
  throw new CnnkitError('NO_BACKEND', `chooseTrainingEngine: no registered backend can train here (${passed.join('; ') || 'none registered: add a plugin such as @cnnkit/backend-wasm'})`);
}
