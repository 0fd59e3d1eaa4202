export { augmentation, Augmentation, type AugmentationConfig, type AugmentationOptions, type AugmentationRngState, type ImageBatch } from './augmentation.js';
export { augmentedPreviews, type AugmentedPreviewOptions } from './augmented-previews.js';
export { CenterCrop, type CenterCropConfig } from './center-crop.js';
export type { Factor } from './factor.js';
export { FILL_MODES, INTERPOLATIONS, type FillMode, type FillOptions, type Interpolation } from './fill-mode.js';
export type { CallOptions, ImageShape, ImageTransform, RandomImageTransform } from './image-transform.js';
export { AUGMENT_SPEC_NAMES, parseAugmentSpec, type AugmentSpecName } from './parse-augment-spec.js';
export { RandomBrightness, type RandomBrightnessConfig } from './random-brightness.js';
export { RandomContrast, type RandomContrastConfig } from './random-contrast.js';
export { RandomCrop, type RandomCropConfig } from './random-crop.js';
export { FLIP_MODES, RandomFlip, type FlipMode, type RandomFlipConfig } from './random-flip.js';
export { RandomRotation, type RandomRotationConfig } from './random-rotation.js';
export { RandomTranslation, type RandomTranslationConfig } from './random-translation.js';
export { RandomZoom, type RandomZoomConfig } from './random-zoom.js';
export { Resizing, type ResizingConfig } from './resizing.js';
export { sampleProjective, type ProjectiveTransform, type SampleOptions } from './sample-projective.js';
export {
  serializeTransform,
  TRANSFORM_CLASS_NAMES,
  transformFromConfig,
  type AnyTransform,
  type SerializedTransform,
  type TransformClassName,
} from './transform-from-config.js';
export type { ValueRange } from './value-range.js';
export { AugmentLayer } from './augment-layer.js';
export { AUGMENT_LAYER_CLASS_NAMES, registerAugmentLayers } from './register-augment-layers.js';
