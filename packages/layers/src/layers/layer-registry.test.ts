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
import { Layer, single, snakeCase, type CallContext } from './layer.js';
import type { Shape } from '../utils/shape.js';
import { ConfigReader } from '../utils/config-reader.js';
import { modelFromJson } from '../models/model-from-json.js';
import { Sequential } from '../models/sequential.js';
import { tf } from '@cnnkit/tensor-core';
import { LAYER_CLASS_NAMES, type LayerClassName } from './layer-kinds.js';
import { layerClassNames, layerFromConfig, registerLayerClass } from './layer-registry.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { Rescaling } from './rescaling.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { UpSampling2D } from './up-sampling2d.js';
import { useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

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

/** A layer from "another package": random sign flip in training, identity at inference. */
class RandomNegate extends Layer {
  readonly className = 'RandomNegate';
  readonly probability: number;
  constructor(args: { probability?: number; name?: string; trainable?: boolean } = {}) {
    const r = new ConfigReader('RandomNegate', args);
    const base = Layer.readBase(r);
    const probability = r.number('probability', 0.5, { min: 0, max: 1 });
    r.done();
    super(base);
    this.probability = probability;
  }
  computeOutputShape(shapes: readonly Shape[]): Shape {
    return single(this, shapes);
  }
  call([x]: readonly tf.Tensor[], ctx: CallContext): tf.Tensor {
    if (!ctx.training) return x;
    return ctx.rngFor(this.name!).next() < this.probability ? tf.neg(x) : x;
  }
  getConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), probability: this.probability };
  }
}

describe('registerLayerClass', () => {
  it('makes another package\'s layer loadable by modelFromJson, named Keras-style', () => {
    expect(snakeCase('RandomNegate')).toBe('random_negate');
    expect(snakeCase('Conv2DTranspose')).toBe('conv2d_transpose');
    expect(() => layerFromConfig({ className: 'RandomNegate', config: {} })).toThrow(/unknown layer class "RandomNegate"/);
    const factory = (config: Record<string, unknown>) => new RandomNegate(config);
    registerLayerClass('RandomNegate', factory);
    registerLayerClass('RandomNegate', factory); // idempotent
    expect(() => registerLayerClass('RandomNegate', (c) => new RandomNegate(c))).toThrow(/already registered with another factory/);
    expect(() => registerLayerClass('Conv2D', factory)).toThrow(/"Conv2D" is a built-in layer class and cannot be replaced/);
    expect(layerClassNames()).toContain('RandomNegate');

    const model = new Sequential({ inputShape: [2], layers: [new RandomNegate({ probability: 1 }), new RandomNegate({ probability: 0 })] });
    expect(model.layers.map((l) => l.name)).toEqual(['input_layer', 'random_negate', 'random_negate_1']);
    const copy = modelFromJson(JSON.parse(JSON.stringify(model.getConfig())));
    expect(copy.getConfig()).toEqual(model.getConfig());
    const x = tf.tensor2d([[1, -2]]);
    expect(Array.from(copy.call([x], { training: true })[0].dataSync())).toEqual([-1, 2]);
    expect(Array.from(copy.call([x], { training: false })[0].dataSync())).toEqual([1, -2]);
  });
});
