import type { LayerClassName } from '@cnnkit/layers';

/**
 * Layer classes the ORT training engine compiles: every built-in class of the layers
 * package (`LAYER_CLASS_NAMES`). Classes added with `registerLayerClass`
 * (augmentation layers) are not. A copy, not an import, because this package's root
 * loads without @cnnkit/layers (an optional peer); ort-trainer.test.ts pins the two lists equal.
 */
export const ORT_TRAINABLE_LAYERS = [
  'InputLayer',
  'Rescaling',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Dense',
  'Flatten',
  'Dropout',
  'BatchNormalization',
  'UpSampling2D',
  'Conv2DTranspose',
  'SeparableConv2D',
  'Activation',
  'Add',
  'Concatenate',
] as const satisfies readonly LayerClassName[];
