/** Every layer class cnnkit knows, by its Keras class name (the key of the layer registry). */
export const LAYER_CLASS_NAMES = [
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
] as const;
export type LayerClassName = (typeof LAYER_CLASS_NAMES)[number];

/** Keras's automatic name prefix per class (`conv2d`, `conv2d_1`, ...). */
export const DEFAULT_LAYER_NAMES: Readonly<Record<LayerClassName, string>> = {
  InputLayer: 'input_layer',
  Rescaling: 'rescaling',
  Conv2D: 'conv2d',
  MaxPooling2D: 'max_pooling2d',
  AveragePooling2D: 'average_pooling2d',
  GlobalAveragePooling2D: 'global_average_pooling2d',
  GlobalMaxPooling2D: 'global_max_pooling2d',
  Dense: 'dense',
  Flatten: 'flatten',
  Dropout: 'dropout',
  BatchNormalization: 'batch_normalization',
  UpSampling2D: 'up_sampling2d',
  Conv2DTranspose: 'conv2d_transpose',
  SeparableConv2D: 'separable_conv2d',
  Activation: 'activation',
  Add: 'add',
  Concatenate: 'concatenate',
};
