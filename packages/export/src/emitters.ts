import { CnnkitError } from '@cnnkit/tensor-core';
import { emitActivationLayer, emitELU, emitLeakyReLU, emitReLU, emitSoftmax } from './emit-activation-layer.js';
import { emitBatchNormalization } from './emit-batch-normalization.js';
import type { Emitter } from './emit-context.js';
import { emitConv2D } from './emit-conv2d.js';
import { emitConv2DTranspose } from './emit-conv2d-transpose.js';
import { emitDense } from './emit-dense.js';
import { emitDepthwiseConv2D } from './emit-depthwise-conv2d.js';
import { emitFlatten } from './emit-flatten.js';
import { emitGlobalPooling2D } from './emit-global-pooling2d.js';
import { emitIdentity } from './emit-identity.js';
import { emitInput } from './emit-input.js';
import { emitAdd, emitConcatenate } from './emit-merge.js';
import { emitPooling2D } from './emit-pooling2d.js';
import { emitRescaling } from './emit-rescaling.js';
import { emitResizing } from './emit-resizing.js';
import { emitSeparableConv2D } from './emit-separable-conv2d.js';
import { emitUpSampling2D } from './emit-upsampling2d.js';
import { EXPORT_LAYER_CLASSES, type ExportLayer, type ExportLayerClass } from './export-model.js';

/**
 * The emitter for a layer class. The switch is exhaustive over
 * `ExportLayerClass` (the `never` check), so a class added to the list does not
 * compile until it is handled here.
 */
export function emitterFor(className: ExportLayerClass): Emitter {
  switch (className) {
    case 'InputLayer':
      return emitInput;
    case 'Rescaling':
      return emitRescaling;
    case 'Conv2D':
      return emitConv2D;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return emitPooling2D;
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return emitGlobalPooling2D;
    case 'Dense':
      return emitDense;
    case 'Flatten':
      return emitFlatten;
    case 'BatchNormalization':
      return emitBatchNormalization;
    case 'UpSampling2D':
      return emitUpSampling2D;
    case 'Conv2DTranspose':
      return emitConv2DTranspose;
    case 'SeparableConv2D':
      return emitSeparableConv2D;
    case 'DepthwiseConv2D':
      return emitDepthwiseConv2D;
    case 'Activation':
      return emitActivationLayer;
    case 'ReLU':
      return emitReLU;
    case 'LeakyReLU':
      return emitLeakyReLU;
    case 'ELU':
      return emitELU;
    case 'Softmax':
      return emitSoftmax;
    case 'Add':
      return emitAdd;
    case 'Concatenate':
      return emitConcatenate;
    case 'Resizing':
    case 'CenterCrop':
    case 'RandomCrop':
      return emitResizing;
    case 'Dropout':
    case 'RandomFlip':
    case 'RandomRotation':
    case 'RandomZoom':
    case 'RandomTranslation':
    case 'RandomContrast':
    case 'RandomBrightness':
      return emitIdentity;
    default: {
      const unreachable: never = className;
      throw new Error(`emitterFor: unhandled layer class ${String(unreachable)}`);
    }
  }
}

export function isExportLayerClass(className: string): className is ExportLayerClass {
  return (EXPORT_LAYER_CLASSES as readonly string[]).includes(className);
}

/** The emitter for `layer`, or an EXPORT_UNSUPPORTED error naming the layer, its class and the supported classes. */
export function emitterForLayer(layer: ExportLayer): Emitter {
  if (!isExportLayerClass(layer.className)) {
    throw new CnnkitError(
      'EXPORT_UNSUPPORTED',
      `ONNX export: layer "${layer.name}" of class ${layer.className} cannot be exported; supported classes: ${EXPORT_LAYER_CLASSES.join(', ')}`,
    );
  }
  return emitterFor(layer.className);
}
