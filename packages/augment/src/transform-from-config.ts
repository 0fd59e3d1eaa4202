import { CnnkitError } from '@cnnkit/tensor-core';
import { CenterCrop, type CenterCropConfig } from './center-crop.js';
import { describeValue } from './errors.js';
import { RandomBrightness, type RandomBrightnessConfig } from './random-brightness.js';
import { RandomContrast, type RandomContrastConfig } from './random-contrast.js';
import { RandomCrop, type RandomCropConfig } from './random-crop.js';
import { RandomFlip, type RandomFlipConfig } from './random-flip.js';
import { RandomRotation, type RandomRotationConfig } from './random-rotation.js';
import { RandomTranslation, type RandomTranslationConfig } from './random-translation.js';
import { RandomZoom, type RandomZoomConfig } from './random-zoom.js';
import { Resizing, type ResizingConfig } from './resizing.js';

/** A transform as it is saved: its class name and its config (Keras's serialization shape). */
export type SerializedTransform =
  | { className: 'RandomFlip'; config: RandomFlipConfig }
  | { className: 'RandomRotation'; config: RandomRotationConfig }
  | { className: 'RandomZoom'; config: RandomZoomConfig }
  | { className: 'RandomTranslation'; config: RandomTranslationConfig }
  | { className: 'RandomContrast'; config: RandomContrastConfig }
  | { className: 'RandomBrightness'; config: RandomBrightnessConfig }
  | { className: 'RandomCrop'; config: RandomCropConfig }
  | { className: 'CenterCrop'; config: CenterCropConfig }
  | { className: 'Resizing'; config: ResizingConfig };

export type AnyTransform =
  | RandomFlip
  | RandomRotation
  | RandomZoom
  | RandomTranslation
  | RandomContrast
  | RandomBrightness
  | RandomCrop
  | CenterCrop
  | Resizing;

export type TransformClassName = SerializedTransform['className'];

export const TRANSFORM_CLASS_NAMES: readonly TransformClassName[] = [
  'RandomFlip',
  'RandomRotation',
  'RandomZoom',
  'RandomTranslation',
  'RandomContrast',
  'RandomBrightness',
  'RandomCrop',
  'CenterCrop',
  'Resizing',
];

/**
 * Saves a transform as `{ className, config }`.
 *
 * @example
 * ```ts
 * const saved = JSON.stringify(serializeTransform(new RandomFlip({ mode: 'horizontal' })));
 * ```
 */
export function serializeTransform(transform: AnyTransform): SerializedTransform {
  return { className: transform.className, config: transform.getConfig() } as SerializedTransform;
}

/**
 * Rebuilds a transform from `{ className, config }` (e.g. read from model.json).
 * Validates the config with the same checks as the constructor.
 *
 * @example
 * ```ts
 * const flip = transformFromConfig({ className: 'RandomFlip', config: { name: 'flip', mode: 'horizontal', seed: 1 } });
 * ```
 */
export function transformFromConfig(serialized: SerializedTransform): AnyTransform {
  if (serialized === null || typeof serialized !== 'object' || typeof serialized.config !== 'object' || serialized.config === null) {
    throw new CnnkitError('BAD_CONFIG', `transformFromConfig: expected { className, config }, received ${describeValue(serialized)}`);
  }
  switch (serialized.className) {
    case 'RandomFlip':
      return RandomFlip.fromConfig(serialized.config);
    case 'RandomRotation':
      return RandomRotation.fromConfig(serialized.config);
    case 'RandomZoom':
      return RandomZoom.fromConfig(serialized.config);
    case 'RandomTranslation':
      return RandomTranslation.fromConfig(serialized.config);
    case 'RandomContrast':
      return RandomContrast.fromConfig(serialized.config);
    case 'RandomBrightness':
      return RandomBrightness.fromConfig(serialized.config);
    case 'RandomCrop':
      return RandomCrop.fromConfig(serialized.config);
    case 'CenterCrop':
      return CenterCrop.fromConfig(serialized.config);
    case 'Resizing':
      return Resizing.fromConfig(serialized.config);
    default: {
      const never: never = serialized;
      throw new CnnkitError(
        'BAD_CONFIG',
        `transformFromConfig: unknown className ${describeValue((never as { className: unknown }).className)}; expected one of: ${TRANSFORM_CLASS_NAMES.join(', ')}`,
      );
    }
  }
}
