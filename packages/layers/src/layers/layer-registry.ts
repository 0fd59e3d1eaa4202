import { CnnkitError } from '@cnnkit/tensor-core';
import { Activation } from './activation.js';
import { Add } from './add.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { BatchNormalization } from './batch-normalization.js';
import { Concatenate } from './concatenate.js';
import { describe } from '../utils/config-reader.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { InputLayer } from './input-layer.js';
import type { Layer } from './layer.js';
import { LAYER_CLASS_NAMES, type LayerClassName } from './layer-kinds.js';
import { LAYER_PROVIDERS, providerOf } from './layer-providers.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { Rescaling } from './rescaling.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { UpSampling2D } from './up-sampling2d.js';

function isLayerClassName(name: unknown): name is LayerClassName {
  return typeof name === 'string' && (LAYER_CLASS_NAMES as readonly string[]).includes(name);
}

const extensions = new Map<string, (config: Record<string, unknown>) => Layer>();

/**
 * Makes a layer class from another package (e.g. augmentation layers) loadable by
 * `layerFromConfig` and `modelFromJson`. Registering is an explicit call — importing
 * a package registers nothing. Built-in class names cannot be replaced.
 *
 * @example
 * ```ts
 * registerLayerClass('RandomFlip', (config) => new RandomFlip(config));
 * ```
 */
export function registerLayerClass(className: string, fromConfig: (config: Record<string, unknown>) => Layer): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(className)) {
    throw new CnnkitError('INVALID_ARGUMENT', `registerLayerClass: expected a class name of letters, digits and "_", received ${describe(className)}`);
  }
  if (isLayerClassName(className)) {
    throw new CnnkitError('DUPLICATE_LAYER_CLASS', `registerLayerClass: "${className}" is a built-in layer class and cannot be replaced`);
  }
  const existing = extensions.get(className);
  if (existing !== undefined && existing !== fromConfig) {
    throw new CnnkitError('DUPLICATE_LAYER_CLASS', `registerLayerClass: "${className}" is already registered with another factory`);
  }
  extensions.set(className, fromConfig);
}

/** Built-in and registered layer class names. */
export function layerClassNames(): string[] {
  return [...LAYER_CLASS_NAMES, ...extensions.keys()];
}

/**
 * Recreates a layer from `{ className, config }` (the form `layer.toSpec()` and
 * model.json use). The class is looked up by name in a fixed table — nothing in
 * the config is ever evaluated as code.
 *
 * @example
 * ```ts
 * const conv = layerFromConfig({ className: 'Conv2D', config: { filters: 8, kernelSize: 3 } });
 * ```
 */
export function layerFromConfig(spec: unknown): Layer {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new CnnkitError('INVALID_CONFIG', `layerFromConfig: expected { className, config }, received ${describe(spec)}`);
  }
  const { className, config } = spec as { className?: unknown; config?: unknown };
  // Map.get on an own-key map only: "__proto__" and friends find nothing.
  const extension = typeof className === 'string' ? extensions.get(className) : undefined;
  if (!isLayerClassName(className) && extension === undefined) {
    const provider = typeof className === 'string' ? providerOf(className) : undefined;
    throw new CnnkitError(
      'UNKNOWN_LAYER',
      provider !== undefined
        ? `layerFromConfig: layer class "${String(className)}" comes from ${provider.package} and is not registered; loadModel registers it when that package is installed, or call ${provider.register}() from it first`
        : `layerFromConfig: unknown layer class ${describe(className)}: not a layer of cnnkit (built in: ${layerClassNames().join(', ')}; from other packages: ${LAYER_PROVIDERS.map((p) => `${p.classNames.join(', ')} in ${p.package}`).join('; ')}); a custom layer loads after registerLayerClass(${describe(className)}, factory)`,
    );
  }
  const c = (config ?? {}) as Record<string, unknown>;
  if (typeof c !== 'object' || Array.isArray(c)) {
    throw new CnnkitError('INVALID_CONFIG', `layerFromConfig: expected the config of ${String(className)} to be an object, received ${describe(config)}`);
  }
  if (!isLayerClassName(className)) {
    const layer = extension!(c);
    if (layer.className !== className) {
      throw new CnnkitError('INVALID_CONFIG', `layerFromConfig: the factory registered for "${className}" made a ${layer.className}`);
    }
    return layer;
  }
  switch (className) {
    case 'InputLayer':
      return InputLayer.fromConfig(c);
    case 'Rescaling':
      return Rescaling.fromConfig(c);
    case 'Conv2D':
      return Conv2D.fromConfig(c);
    case 'MaxPooling2D':
      return MaxPooling2D.fromConfig(c);
    case 'AveragePooling2D':
      return AveragePooling2D.fromConfig(c);
    case 'GlobalAveragePooling2D':
      return GlobalAveragePooling2D.fromConfig(c);
    case 'GlobalMaxPooling2D':
      return GlobalMaxPooling2D.fromConfig(c);
    case 'Dense':
      return Dense.fromConfig(c);
    case 'Flatten':
      return Flatten.fromConfig(c);
    case 'Dropout':
      return Dropout.fromConfig(c);
    case 'BatchNormalization':
      return BatchNormalization.fromConfig(c);
    case 'UpSampling2D':
      return UpSampling2D.fromConfig(c);
    case 'Conv2DTranspose':
      return Conv2DTranspose.fromConfig(c);
    case 'SeparableConv2D':
      return SeparableConv2D.fromConfig(c);
    case 'Activation':
      return Activation.fromConfig(c);
    case 'Add':
      return Add.fromConfig(c);
    case 'Concatenate':
      return Concatenate.fromConfig(c);
    default: {
      const unknown: never = className;
      throw new CnnkitError('UNKNOWN_LAYER', `layerFromConfig: unknown layer class ${String(unknown)}`);
    }
  }
}
