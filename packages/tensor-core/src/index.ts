export { tf } from './tf.js';
export {
  BACKEND_NAMES,
  describeBackend,
  type AdapterInfo,
  type Availability,
  type BackendCapabilities,
  type BackendName,
  type BackendPlugin,
  type Task,
  type TrainingEngineProvider,
  type WorkerPluginSource,
} from './backend-plugin.js';
export { BackendRegistry, defaultRegistry } from './registry.js';
export {
  activeTfjsBackend,
  resolveBackend,
  selectBackend,
  type SelectBackendOptions,
  type SelectedBackend,
} from './select-backend.js';
export {
  BackendCapabilityError,
  BackendUnavailableError,
  CnnkitError,
  DTypeError,
  ShapeError,
  UnknownBackendError,
} from './errors.js';
export { createRng, Rng, type RngState } from './rng.js';
export { assertNoLeaks, asyncScope, countLeaks, liveTensors, scope } from './memory.js';
export { assertDType, assertRank, assertShape, formatShape } from './checks.js';
export { GRADIENTS, gradientKernelNames, registerGradients } from './register-gradients.js';
export { dilateFilter } from './gradients/conv.js';
export { makeDirs } from './make-dirs.js';
