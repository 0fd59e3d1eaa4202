import { CnnkitError, ShapeError } from '@cnnkit/tensor-core';
import { describe } from '../utils/config-reader.js';
import { planArchitecture } from '../io/architecture-plan.js';
import { loadLimits, type LoadLimits } from '../io/load-limits.js';
import { oneLine } from '../io/one-line.js';
import { functionalFromConfig, type Model } from './model.js';
import { sequentialFromConfig } from './sequential.js';

/**
 * Defines a model from a JSON architecture — the form `model.getConfig()` returns:
 * `{ className: 'Sequential', config: { name, seed, layers: [{ className, config }] } }`
 * or `{ className: 'Functional', config: { name, seed, layers: [{ className, config,
 * inbound: [names] }], inputLayers, outputLayers } }`. Accepts a parsed object or
 * JSON text. Layer classes come from a fixed registry; nothing is evaluated. What the
 * architecture would allocate (weights, each layer's output) is checked against
 * `options.limits` (see `LoadLimits`) before any weight is created; `deferBuild`
 * returns the model with its weights not yet created (`model.buildWeights()`).
 *
 * @example
 * ```ts
 * const model = modelFromJson(await readFile('model.json', 'utf8'), 'model.json');
 * ```
 */
export function modelFromJson(config: unknown, source = 'modelFromJson', options: { limits?: Partial<LoadLimits>; deferBuild?: boolean } = {}): Model {
  const limits = loadLimits(options.limits);
  if (typeof config === 'string' && config.length > limits.maxJsonBytes) {
    throw new CnnkitError('MODEL_TOO_LARGE', `${source}: ${config.length} characters of JSON, over the limit of ${limits.maxJsonBytes} (maxJsonBytes)`);
  }
  let value = config;
  if (typeof config === 'string') {
    try {
      value = JSON.parse(config);
    } catch (error) {
      throw new CnnkitError('INVALID_JSON', `${source}: expected JSON, ${oneLine((error as Error).message)}`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CnnkitError('INVALID_CONFIG', `${source}: expected { className, config }, received ${describe(value)}`);
  }
  const { className, config: inner } = value as { className?: unknown; config?: unknown };
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
    throw new CnnkitError('INVALID_CONFIG', `${source}: expected "config" to be an object, received ${describe(inner)}`);
  }
  const body = inner as Record<string, unknown>;
  if (Array.isArray(body.layers) && body.layers.length > limits.maxLayers) {
    throw new CnnkitError('MODEL_TOO_LARGE', `${source}: ${body.layers.length} layers, over the limit of ${limits.maxLayers} (maxLayers)`);
  }
  let model: Model;
  try {
    switch (className) {
      case 'Sequential':
        model = sequentialFromConfig(body, source, true);
        break;
      case 'Functional':
        model = functionalFromConfig(body, source, true);
        break;
      default:
        throw new CnnkitError('UNKNOWN_MODEL_CLASS', `${source}: unknown model class ${describe(className)}; available: Sequential, Functional`);
    }
  } catch (error) {
    // Name the file in errors raised deeper (layer configs), keeping their code.
    if (error instanceof CnnkitError && !error.message.startsWith(source)) {
      throw error instanceof ShapeError
        ? new ShapeError(`${source}: ${error.message}`)
        : new CnnkitError(error.code, `${source}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (model.inputs.length === 0) {
    // An empty Sequential: nothing to feed, and every caller reads the input and output shapes.
    throw new CnnkitError('INVALID_CONFIG', `${source}: expected "layers" to start with an InputLayer, received ${describe(body.layers)}`);
  }
  // Nothing is allocated yet: the sizes are checked first, so a hostile file fails here.
  planArchitecture(model, source, limits);
  if (options.deferBuild !== true) model.buildWeights();
  return model;
}
