import { CnnkitError, ShapeError } from '@cnnkit/tensor-core';
import { describe } from './config-reader.js';
import { functionalFromConfig, type Model } from './model.js';
import { sequentialFromConfig } from './sequential.js';

/**
 * Defines a model from a JSON architecture — the form `model.getConfig()` returns:
 * `{ className: 'Sequential', config: { name, seed, layers: [{ className, config }] } }`
 * or `{ className: 'Functional', config: { name, seed, layers: [{ className, config,
 * inbound: [names] }], inputLayers, outputLayers } }`. Accepts a parsed object or
 * JSON text. Layer classes come from a fixed registry; nothing is evaluated.
 *
 * @example
 * ```ts
 * const model = modelFromJson(await readFile('model.json', 'utf8'), 'model.json');
 * ```
 */
export function modelFromJson(config: unknown, source = 'modelFromJson'): Model {
  let value = config;
  if (typeof config === 'string') {
    try {
      value = JSON.parse(config);
    } catch (error) {
      throw new CnnkitError('INVALID_JSON', `${source}: expected JSON, ${(error as Error).message}`);
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
  try {
    switch (className) {
      case 'Sequential':
        return sequentialFromConfig(body, source);
      case 'Functional':
        return functionalFromConfig(body, source);
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
}
