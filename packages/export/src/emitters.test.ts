import { describe, expect, it } from 'vitest';
import { emitActivationLayer, emitELU, emitLeakyReLU, emitReLU, emitSoftmax } from './emit-activation-layer.js';
import { emitBatchNormalization } from './emit-batch-normalization.js';
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
import { emitterFor, emitterForLayer, isExportLayerClass } from './emitters.js';
import { EXPORT_LAYER_CLASSES } from './export-model.js';

// The dispatch from Keras class to ONNX emitter, written out from what each class
// computes at inference: the random augmentations and Dropout are identities there,
// CenterCrop/RandomCrop resize like Resizing (RandomCrop's inference path, as Keras).
const EXPECTED = {
  InputLayer: emitInput,
  Rescaling: emitRescaling,
  Conv2D: emitConv2D,
  MaxPooling2D: emitPooling2D,
  AveragePooling2D: emitPooling2D,
  GlobalAveragePooling2D: emitGlobalPooling2D,
  GlobalMaxPooling2D: emitGlobalPooling2D,
  Dense: emitDense,
  Flatten: emitFlatten,
  BatchNormalization: emitBatchNormalization,
  UpSampling2D: emitUpSampling2D,
  Conv2DTranspose: emitConv2DTranspose,
  SeparableConv2D: emitSeparableConv2D,
  DepthwiseConv2D: emitDepthwiseConv2D,
  Activation: emitActivationLayer,
  ReLU: emitReLU,
  LeakyReLU: emitLeakyReLU,
  ELU: emitELU,
  Softmax: emitSoftmax,
  Add: emitAdd,
  Concatenate: emitConcatenate,
  Resizing: emitResizing,
  CenterCrop: emitResizing,
  RandomCrop: emitResizing,
  Dropout: emitIdentity,
  RandomFlip: emitIdentity,
  RandomRotation: emitIdentity,
  RandomZoom: emitIdentity,
  RandomTranslation: emitIdentity,
  RandomContrast: emitIdentity,
  RandomBrightness: emitIdentity,
} as const;

describe('emitterFor', () => {
  it('covers exactly the exportable classes', () => {
    expect([...EXPORT_LAYER_CLASSES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  it.each(Object.entries(EXPECTED))('%s -> its emitter', (className, emitter) => {
    expect(isExportLayerClass(className)).toBe(true);
    expect(emitterFor(className as keyof typeof EXPECTED)).toBe(emitter);
    expect(emitterForLayer({ name: 'l', className, config: {}, inputs: [], weights: {} })).toBe(emitter);
  });
  it('an unsupported class names the layer, its class and the supported classes', () => {
    expect(isExportLayerClass('LSTM')).toBe(false);
    expect(() => emitterForLayer({ name: 'lstm_1', className: 'LSTM', config: {}, inputs: [], weights: {} })).toThrow(
      `ONNX export: layer "lstm_1" of class LSTM cannot be exported; supported classes: ${EXPORT_LAYER_CLASSES.join(', ')}`,
    );
  });
});

describe('emitInput', () => {
  const image = { name: 'image', shape: [8, 6, 3] } as never;
  it.each([
    // config, accepted
    [{}, true],
    [{ batchShape: [null, 8, 6, 3] }, true],
    [{ batchShape: [null, null, 6, 3] }, true],
    [{ shape: [8, 6, 3] }, true],
    [{ shape: [8, null, 3] }, true],
    [{ batchShape: [null, 8, 7, 3] }, false],
    [{ shape: [8, 6] }, false],
    [{ shape: [8, 6, 3, 1] }, false],
    [{ shape: [6, 8, 3] }, false],
  ])('config %j: accepted %s', (config, accepted) => {
    const run = () => emitInput({} as never, { name: 'input', className: 'InputLayer', config, inputs: [], weights: {} }, [image]);
    if (accepted) expect(run()).toBe(image);
    else expect(run).toThrow(/^ONNX export of layer "input" \(InputLayer\): expected its shape to match the model's inputShape \[8, 6, 3\], received \[/);
  });
});
