/**
 * The contract every compute backend package implements. A plugin is a plain
 * object: creating it does nothing; `register()` is the one call with effects.
 */

/** Every backend cnnkit knows. Adding one must fail to compile until each switch handles it. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'webgpu', 'cuda', 'onnx'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What a selection is for: `train` needs gradients, `infer` only forward passes. */
export type Task = 'train' | 'infer';

export interface BackendCapabilities {
  /** Where the arithmetic runs. */
  readonly device: 'cpu' | 'gpu';
  /** Can compute gradients and update weights. */
  readonly training: boolean;
  /** Can run forward passes. */
  readonly inference: boolean;
  /** Threads one instance uses for its kernels. */
  readonly threads: number;
}

/** The physical (or emulated) device behind a GPU backend, as the driver describes it. */
export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  /**
   * A CPU emulation of a GPU (SwiftShader, lavapipe, WARP): exact but slow. `auto`
   * never selects a backend on a software adapter; naming the backend still works.
   */
  readonly software: boolean;
}

export type Availability =
  | { readonly available: true; readonly adapter?: AdapterInfo }
  | { readonly available: false; readonly reason: string; readonly fix: string };

/**
 * How a worker thread recreates a plugin (data-parallel training): it imports
 * `module` and calls its export `factory` with `options`. Creating a plugin has
 * no effects, so the worker then activates it as the main thread would.
 */
export interface WorkerPluginSource {
  /** A module URL or specifier the worker can import, e.g. the plugin file's `import.meta.url`. */
  readonly module: string;
  /** The named export of `module` that creates the plugin, e.g. `wasmBackend`. */
  readonly factory: string;
  /** The factory's argument; must survive structured cloning (plain data). */
  readonly options?: unknown;
}

/**
 * A training engine a backend brings, which runs whole training steps itself (the onnx
 * backend's ORT graph) while `fit` keeps its loop. `@cnnkit/layers`' `chooseTrainingEngine`
 * asks it; tensor-core knows no models, so the model and the engine are the layers
 * package's `Model` and `TrainingEngine`, typed (and checked) there.
 */
export interface TrainingEngineProvider {
  /** Why this engine cannot train `model` (a layer, optimizer or loss it lacks), or null when it can. */
  unsupported(model: unknown): Promise<string | null>;
  /** The engine for `model` (compiled); `fit({ engine })` runs its steps through it. */
  create(model: unknown): Promise<unknown>;
}

export interface BackendPlugin {
  readonly name: BackendName;
  /** The npm package that provides the plugin, for install hints. */
  readonly packageName: string;
  /** Higher wins in `auto` selection among available, capable backends. */
  readonly priority: number;
  /** Checks, without side effects on tfjs, whether this backend can run here. */
  isAvailable(): Promise<Availability>;
  capabilities(): BackendCapabilities;
  /** Version of the engine underneath (tfjs backend, onnxruntime), or null if not installed. */
  version(): string | null;
  /**
   * Makes the backend usable: registers its tfjs backend and extra kernels and the
   * gradients, and makes it the active tfjs backend. Idempotent.
   */
  activate(): Promise<void>;
  /**
   * Present when independent instances of this backend can run in worker threads
   * (one per thread): how a worker recreates the plugin. Absent for backends with one
   * shared device (cuda) or their own threading (onnx).
   */
  readonly worker?: WorkerPluginSource;
  /**
   * Present when the backend trains through an engine of its own instead of tfjs kernels
   * (onnx: one ONNX graph per step). A tfjs backend runs the data pipeline beside it.
   */
  readonly trainingEngine?: TrainingEngineProvider;
}

/** Turns a backend name into its human description; exhaustive on purpose. */
export function describeBackend(name: BackendName): string {
  switch (name) {
    case 'cpu':
      return 'pure JavaScript (tfjs-backend-cpu)';
    case 'wasm':
      return 'WebAssembly with SIMD (tfjs-backend-wasm + cnnkit training kernels)';
    case 'webgpu':
      return 'any GPU through WebGPU (tfjs-backend-webgpu; Dawn in Node, navigator.gpu in browsers)';
    case 'cuda':
      return 'NVIDIA GPU through libtensorflow (tfjs-node-gpu)';
    case 'onnx':
      return 'onnxruntime-node';
    default: {
      const unreachable: never = name;
      throw new Error(`describeBackend: unhandled backend ${String(unreachable)}`);
    }
  }
}
