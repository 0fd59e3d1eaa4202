import { registerLayerClass } from '@cnnkit/layers';
import { AugmentLayer } from './augment-layer.js';
import { Augmentation, type AugmentationConfig } from './augmentation.js';
import { TRANSFORM_CLASS_NAMES, transformFromConfig, type AnyTransform, type SerializedTransform } from './transform-from-config.js';

/** The class names `registerAugmentLayers` makes loadable: every transform plus the pipeline. */
export const AUGMENT_LAYER_CLASS_NAMES: readonly string[] = [...TRANSFORM_CLASS_NAMES, 'Augmentation'];

function layerFromTransformConfig(className: string, config: Record<string, unknown>): AugmentLayer {
  const { trainable, ...rest } = config;
  const transform: AnyTransform | Augmentation =
    className === 'Augmentation'
      ? Augmentation.fromConfig(rest as unknown as AugmentationConfig)
      : transformFromConfig({ className, config: rest } as unknown as SerializedTransform);
  return new AugmentLayer(transform, { name: typeof rest.name === 'string' ? rest.name : undefined, trainable: trainable === undefined ? undefined : trainable !== false });
}

const factories = new Map<string, (config: Record<string, unknown>) => AugmentLayer>(
  AUGMENT_LAYER_CLASS_NAMES.map((className) => [className, (config: Record<string, unknown>) => layerFromTransformConfig(className, config)]),
);

/**
 * Registers every augment class (RandomFlip, RandomRotation, ..., Resizing, CenterCrop,
 * Augmentation) with the layers package, so `modelFromJson`/`loadModel` read a
 * model.json that contains augmentation layers. Importing this package registers
 * nothing; call this once before loading. Calling it again is harmless.
 *
 * @example
 * ```ts
 * registerAugmentLayers();
 * const { model } = await loadModel('run/model');
 * ```
 */
export function registerAugmentLayers(): void {
  for (const [className, factory] of factories) registerLayerClass(className, factory);
}
