import { CnnkitError } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Activation } from './activation.js';
import { Add } from './add.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { BatchNormalization } from './batch-normalization.js';
import { Concatenate } from './concatenate.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { InputLayer } from './input-layer.js';
import type { Layer } from './layer.js';
import { LAYER_CLASS_NAMES, type LayerClassName } from './layer-kinds.js';
import { layerFromConfig } from './layer-registry.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { Rescaling } from './rescaling.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { UpSampling2D } from './up-sampling2d.js';
import { useCpu } from './test-utils/setup.js';

beforeAll(useCpu);

// One non-default example per class: a Record, so a new class fails to compile until it is listed.
const examples: Record<LayerClassName, () => Layer> = {
  InputLayer: () => new InputLayer({ shape: [8, 8, 3], name: 'in' }),
  Rescaling: () => new Rescaling({ scale: 2, offset: 1 }),
  Conv2D: () => new Conv2D({ filters: 3, kernelSize: [1, 3], dilationRate: 2, padding: 'same', trainable: false }),
  MaxPooling2D: () => new MaxPooling2D({ poolSize: 3, strides: 1 }),
  AveragePooling2D: () => new AveragePooling2D({ padding: 'same' }),
  GlobalAveragePooling2D: () => new GlobalAveragePooling2D({ keepdims: true }),
  GlobalMaxPooling2D: () => new GlobalMaxPooling2D(),
  Dense: () => new Dense({ units: 7, activation: 'elu', biasInitializer: 'ones' }),
  Flatten: () => new Flatten({ name: 'f' }),
  Dropout: () => new Dropout({ rate: 0.2, seed: 3 }),
  BatchNormalization: () => new BatchNormalization({ momentum: 0.9, center: false }),
  UpSampling2D: () => new UpSampling2D({ size: [1, 2], interpolation: 'bilinear' }),
  Conv2DTranspose: () => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2 }),
  SeparableConv2D: () => new SeparableConv2D({ filters: 2, kernelSize: 3, depthMultiplier: 3 }),
  Activation: () => new Activation({ activation: 'leaky_relu' }),
  Add: () => new Add({ name: 'sum' }),
  Concatenate: () => new Concatenate({ axis: 2 }),
};

describe('layer registry', () => {
  for (const className of LAYER_CLASS_NAMES) {
    it(`${className}: getConfig → JSON → layerFromConfig → same config and class`, () => {
      const layer = examples[className]();
      const spec = JSON.parse(JSON.stringify(layer.toSpec()));
      expect(spec.className).toBe(className);
      const copy = layerFromConfig(spec);
      expect(copy.className).toBe(className);
      expect(copy.constructor).toBe(layer.constructor);
      expect(copy.getConfig()).toEqual(JSON.parse(JSON.stringify(layer.getConfig())));
      expect(copy.trainable).toBe(layer.trainable);
    });
  }
  it('rejects unknown classes, non-objects and bad option types, listing what is available', () => {
    expect(() => layerFromConfig({ className: 'Lambda', config: {} })).toThrow(CnnkitError);
    expect(() => layerFromConfig({ className: '__proto__', config: {} })).toThrow(/unknown layer class "__proto__"/);
    expect(() => layerFromConfig('Conv2D')).toThrow(/expected \{ className, config \}, received "Conv2D"/);
    expect(() => layerFromConfig({ className: 'Conv2D', config: { filters: '8', kernelSize: 3 } })).toThrow(/Conv2D: expected "filters" to be a finite number, received "8"/);
    expect(() => layerFromConfig({ className: 'Dense', config: { units: 2, name: '../../etc' } })).toThrow(/expected "name" of letters, digits/);
  });
});
