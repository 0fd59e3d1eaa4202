import type { LayerClassName } from '@cnnkit/layers';

/** Layer classes the ORT training engine compiles. */
export const ORT_TRAINABLE_LAYERS = [
  'InputLayer',
  'Rescaling',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'Dense',
  'Flatten',
  'Dropout',
  'BatchNormalization',
] as const satisfies readonly LayerClassName[];
