/** Whole-model fixtures shared by the end-to-end and checker tests. */
import type { ExportLayer, ExportModel } from '../export-model.js';
import { layer, randomWeight, rng } from './harness.js';

/**
 * The Keras "cats vs dogs from scratch" tutorial's small model: Rescaling(1/255),
 * [Conv2D(f, 3, same, relu) -> MaxPooling2D(2)] for f = 16, 32, 64, 128,
 * GlobalAveragePooling2D, Dense(1, sigmoid). Weights are He-uniform-like so
 * activations stay O(1) through four blocks, as in a trained model.
 */
export function tutorialModel(size: number): ExportModel {
  const r = rng(`tutorial-${size}`);
  const layers: ExportLayer[] = [layer('input_layer', 'InputLayer', []), layer('rescaling', 'Rescaling', ['input_layer'], { scale: 1 / 255, offset: 0 })];
  let prev = 'rescaling';
  let channels = 3;
  [16, 32, 64, 128].forEach((filters, i) => {
    const conv = `conv2d_${i}`;
    const pool = `max_pooling2d_${i}`;
    layers.push(
      layer(conv, 'Conv2D', [prev], { filters, kernelSize: 3, padding: 'same', activation: 'relu' }, {
        kernel: randomWeight(r, [3, 3, channels, filters], Math.sqrt(6 / (9 * channels))),
        bias: randomWeight(r, [filters], 0.05),
      }),
      layer(pool, 'MaxPooling2D', [conv], { poolSize: 2 }),
    );
    prev = pool;
    channels = filters;
  });
  layers.push(
    layer('global_average_pooling2d', 'GlobalAveragePooling2D', [prev]),
    layer('dense', 'Dense', ['global_average_pooling2d'], { units: 1, activation: 'sigmoid' }, { kernel: randomWeight(r, [128, 1], 0.2), bias: randomWeight(r, [1], 0.1) }),
  );
  return { inputShape: [size, size, 3], layers, outputs: ['dense'], classNames: ['cat', 'dog'] };
}

/**
 * A small DAG with every exportable layer class: augmentation and Dropout,
 * the crops and Resizing, Rescaling, Conv2D (same stride 2, dilation), BatchNormalization, SeparableConv2D,
 * both poolings, UpSampling2D (nearest and bilinear), Conv2DTranspose, Activation,
 * Add (residual), Concatenate, Flatten, the global poolings, Dense heads, softmax.
 */
export function everyLayerModel(): ExportModel {
  const r = rng('every-layer');
  const w = (shape: number[], scale = 0.4) => randomWeight(r, shape, scale);
  const bn = (c: number) => {
    const variance = w([c]);
    variance.values.forEach((v, i) => (variance.values[i] = Math.abs(v) + 0.1));
    return { gamma: w([c]), beta: w([c], 0.1), movingMean: w([c], 0.1), movingVariance: variance };
  };
  const layers: ExportLayer[] = [
    layer('input', 'InputLayer', []),
    layer('flip', 'RandomFlip', ['input'], { mode: 'horizontal' }),
    layer('rotate', 'RandomRotation', ['flip'], { factor: 0.1 }),
    layer('zoom', 'RandomZoom', ['rotate'], { heightFactor: 0.1 }),
    layer('translate', 'RandomTranslation', ['zoom'], { heightFactor: 0.1, widthFactor: 0.1 }),
    layer('contrast', 'RandomContrast', ['translate'], { factor: 0.1 }),
    layer('brightness', 'RandomBrightness', ['contrast'], { factor: 0.1 }),
    // 20x18 -> RandomCrop (inference: centred 18x18 window) -> CenterCrop 17x17 -> Resizing 16x16.
    layer('random_crop', 'RandomCrop', ['brightness'], { height: 18, width: 18 }),
    layer('center_crop', 'CenterCrop', ['random_crop'], { height: 17, width: 17 }),
    layer('resizing', 'Resizing', ['center_crop'], { height: 16, width: 16 }),
    layer('rescaling', 'Rescaling', ['resizing'], { scale: 1 / 127.5, offset: -1 }),
    layer('stem', 'Conv2D', ['rescaling'], { filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }, { kernel: w([3, 3, 3, 8]) }),
    layer('stem_bn', 'BatchNormalization', ['stem'], {}, bn(8)),
    layer('stem_act', 'Activation', ['stem_bn'], { activation: 'leaky_relu' }),
    layer('dw', 'DepthwiseConv2D', ['stem_act'], { kernelSize: 3, padding: 'same' }, { kernel: w([3, 3, 8, 1]), bias: w([8], 0.1) }),
    layer('dw_relu', 'ReLU', ['dw'], { maxValue: 6 }),
    // Residual block: separable conv + dilated conv, added to the stem.
    layer('sep', 'SeparableConv2D', ['dw_relu'], { filters: 8, kernelSize: 3, padding: 'same', activation: 'gelu' }, { depthwiseKernel: w([3, 3, 8, 1]), pointwiseKernel: w([1, 1, 8, 8]), bias: w([8], 0.1) }),
    layer('dil', 'Conv2D', ['sep'], { filters: 8, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'tanh' }, { kernel: w([3, 3, 8, 8]), bias: w([8], 0.1) }),
    layer('residual', 'Add', ['dw_relu', 'dil']),
    layer('drop', 'Dropout', ['residual'], { rate: 0.3 }),
    // Down and back up two ways, concatenated with a max-pooled branch.
    layer('avg', 'AveragePooling2D', ['drop'], { poolSize: 3, strides: 2, padding: 'same' }),
    layer('up_nearest', 'UpSampling2D', ['avg'], { size: 2 }),
    layer('up_bilinear', 'UpSampling2D', ['avg'], { size: 2, interpolation: 'bilinear' }),
    layer('deconv', 'Conv2DTranspose', ['avg'], { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }, { kernel: w([3, 3, 4, 8]), bias: w([4], 0.1) }),
    layer('max', 'MaxPooling2D', ['drop'], { poolSize: 2, strides: 1, padding: 'same' }),
    layer('concat', 'Concatenate', ['up_nearest', 'up_bilinear', 'deconv', 'max'], { axis: -1 }),
    layer('mix_linear', 'Conv2D', ['concat'], { filters: 6, kernelSize: 1 }, { kernel: w([1, 1, 28, 6]), bias: w([6], 0.1) }),
    layer('mix_leaky', 'LeakyReLU', ['mix_linear']),
    layer('mix', 'ELU', ['mix_leaky']),
    // Heads: a flattened-order path and two global pools, concatenated.
    layer('small', 'MaxPooling2D', ['mix'], { poolSize: 4 }),
    layer('flatten', 'Flatten', ['small']),
    layer('flat_dense', 'Dense', ['flatten'], { units: 5, activation: 'relu' }, { kernel: w([2 * 2 * 6, 5]), bias: w([5], 0.1) }),
    layer('gap', 'GlobalAveragePooling2D', ['mix']),
    layer('gmp', 'GlobalMaxPooling2D', ['mix']),
    layer('features', 'Concatenate', ['flat_dense', 'gap', 'gmp']),
    layer('features_bn', 'BatchNormalization', ['features'], { epsilon: 0.01 }, bn(17)),
    layer('logits', 'Dense', ['features_bn'], { units: 3 }, { kernel: w([17, 3]), bias: w([3], 0.1) }),
    layer('probs', 'Softmax', ['logits']),
  ];
  return { inputShape: [20, 18, 3], layers, outputs: ['probs'], classNames: ['cat', 'dog', 'bird'] };
}
