/**
 * The model description the exporter reads: a DAG of Keras-style layers, NHWC,
 * Keras 3 class names, config keys in camelCase and Keras weight names and
 * layouts. It is deliberately plain data so that `@cnnkit/layers` (or a test)
 * can produce it; only the list of cnnkit's layer classes comes from the layers package.
 */

import { LAYER_CLASS_NAMES } from '@cnnkit/layers';

/**
 * Every layer class the exporter knows: cnnkit's own (the layers registry's names) and
 * the other Keras classes a Keras-style description may hold. Adding one here fails to
 * compile until `emitLayer` handles it.
 */
export const EXPORT_LAYER_CLASSES = [
  ...LAYER_CLASS_NAMES,
  'DepthwiseConv2D',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Softmax',
  'Resizing',
  'CenterCrop',
  'RandomCrop',
  'RandomFlip',
  'RandomRotation',
  'RandomZoom',
  'RandomTranslation',
  'RandomContrast',
  'RandomBrightness',
] as const;

export type ExportLayerClass = (typeof EXPORT_LAYER_CLASSES)[number];

/** One weight: Keras shape and row-major float32 values. */
export interface ExportWeight {
  shape: number[];
  values: Float32Array;
}

/**
 * One node of the DAG.
 *
 * Weights use Keras names and layouts:
 * - Conv2D `kernel` [kh, kw, in/groups, filters], `bias` [filters]
 * - Conv2DTranspose `kernel` [kh, kw, filters, in] (Keras's transposed layout), `bias` [filters]
 * - DepthwiseConv2D `kernel` [kh, kw, in, depthMultiplier], `bias` [in*depthMultiplier]
 * - SeparableConv2D `depthwiseKernel` [kh, kw, in, depthMultiplier],
 *   `pointwiseKernel` [1, 1, in*depthMultiplier, filters], `bias` [filters]
 * - Dense `kernel` [in, units], `bias` [units]
 * - BatchNormalization `gamma`, `beta`, `movingMean`, `movingVariance` [channels]
 *   (`gamma` absent when `scale: false`, `beta` absent when `center: false`)
 */
export interface ExportLayer {
  /** Unique layer name, e.g. "conv2d_1". */
  name: string;
  /** Keras class name; `string` so that an unknown class reaches the exporter and gets a clear error. */
  className: ExportLayerClass | (string & {});
  /** Keras 3 config keys in camelCase; missing keys take Keras defaults. */
  config: Record<string, unknown>;
  /** Names of the layers feeding this one, in order (empty for the InputLayer). */
  inputs: string[];
  weights: Record<string, ExportWeight>;
}

/** A whole model: one NHWC image input of `inputShape` [H, W, C] and one output layer. */
export interface ExportModel {
  inputShape: [number, number, number];
  layers: ExportLayer[];
  /** Names of the output layers; exactly one (the contract has one output, `probabilities`). */
  outputs: string[];
  /** Class names in output order; written into the file's metadata. */
  classNames: string[];
}
