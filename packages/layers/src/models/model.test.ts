import { CnnkitError, ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Concatenate } from '../layers/concatenate.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { GlobalAveragePooling2D } from '../layers/global-pooling2d.js';
import { Input } from '../layers/input-layer.js';
import { Model } from './model.js';
import { modelFromJson } from './model-from-json.js';
import { Sequential } from './sequential.js';
import { seedCnn } from './seed-cnn.js';
import { expectClose, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

function twoInputTwoOutput(seed = 0): Model {
  const image = Input({ shape: [6, 6, 2], name: 'image' });
  const extra = Input({ shape: [3], name: 'extra' });
  const features = new GlobalAveragePooling2D().apply(new Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(image));
  const joined = new Concatenate().apply([features, extra]);
  const p = new Dense({ units: 1, activation: 'sigmoid', name: 'p' }).apply(joined);
  const q = new Dense({ units: 3, activation: 'softmax' }).apply(new Dropout({ rate: 0.5 }).apply(joined));
  return new Model({ inputs: [image, extra], outputs: [p, q], seed });
}

describe('Model (functional)', () => {
  it('runs a DAG with several inputs and outputs and numbers layers Keras-style', () => {
    const m = twoInputTwoOutput();
    expect(m.layers.map((l) => l.name)).toEqual(['image', 'extra', 'conv2d', 'global_average_pooling2d', 'concatenate', 'p', 'dropout', 'dense']);
    const [p, q] = m.predict([tf.ones([5, 6, 6, 2]), tf.zeros([5, 3])]) as tf.Tensor[];
    expect(p.shape).toEqual([5, 1]);
    expect(q.shape).toEqual([5, 3]);
    expectClose(tf.sum(q, 1), [1, 1, 1, 1, 1], 1e-6);
  });

  it('numbers names per model and keeps given names unique', () => {
    const a = seedCnn({ imageSize: [16, 16], numClasses: 2 });
    const b = seedCnn({ imageSize: [16, 16], numClasses: 2 });
    expect(a.layers.map((l) => l.name)).toEqual(b.layers.map((l) => l.name));
    const x = Input({ shape: [2] });
    const y = new Dense({ units: 2, name: 'd' }).apply(x);
    expect(() => new Model({ inputs: x, outputs: new Dense({ units: 2, name: 'd' }).apply(y) })).toThrow(/expected unique layer names, "d" is used twice/);
  });

  it('is reproducible by seed and differs across seeds', () => {
    const w = (seed: number) => Array.from(twoInputTwoOutput(seed).namedWeights()[0].variable.dataSync());
    expect(w(1)).toEqual(w(1));
    expect(w(1)).not.toEqual(w(2));
  });

  it('rejects disconnected graphs, reused layers and wrong inputs', () => {
    const a = Input({ shape: [2] });
    const b = Input({ shape: [2] });
    const sum = new Concatenate().apply([a, b]);
    expect(() => new Model({ inputs: a, outputs: sum })).toThrow(/depend on an Input \(\(None, 2\)\) that is not among the model's inputs/);
    const dense = new Dense({ units: 1 });
    dense.apply(a);
    expect(() => dense.apply(b)).toThrow(/Dense: expected a layer applied once/);
    const m = new Model({ inputs: [a, b], outputs: sum });
    expect(() => m.predict([tf.ones([1, 3]), tf.ones([1, 2])])).toThrow(ShapeError);
    expect(() => m.predict([tf.ones([1, 3]), tf.ones([1, 2])])).toThrow(/predict: model "functional" expected input "input_layer" of shape \(None, 2\), received \(1, 3\)/);
    expect(() => m.predict(tf.ones([1, 2]))).toThrow(/expected 2 input tensor\(s\), received 1/);
  });

  it('predict batches large inputs with the same result as one pass', () => {
    const m = seedCnn({ imageSize: [16, 16], numClasses: 3 });
    const x = tf.randomUniform([10, 16, 16, 3], 0, 255, 'float32', 1);
    const whole = m.predict(x, { batchSize: 10 }) as tf.Tensor;
    const batched = m.predict(x, { batchSize: 3 }) as tf.Tensor;
    expect(batched.shape).toEqual([10, 3]);
    expectClose(batched, Array.from(whole.dataSync()), 1e-6);
  });

  it('getConfig → modelFromJson rebuilds the same architecture (functional and sequential)', () => {
    for (const model of [twoInputTwoOutput(3), seedCnn({ imageSize: [16, 16], numClasses: 2, seed: 4 })]) {
      const json = JSON.stringify(model.getConfig());
      const copy = modelFromJson(json, 'model.json');
      expect(copy.className).toBe(model.className);
      expect(copy.getConfig()).toEqual(model.getConfig());
      // Same seed → same initial weights.
      expect(copy.namedWeights().map((w) => Array.from(w.variable.dataSync()))).toEqual(model.namedWeights().map((w) => Array.from(w.variable.dataSync())));
      expect(copy.summary()).toBe(model.summary());
    }
  });

  it('modelFromJson rejects bad configs with the file and the problem', () => {
    expect(() => modelFromJson('{ nope', 'arch.json')).toThrow(/arch.json: expected JSON/);
    expect(() => modelFromJson({ className: 'Graph', config: {} }, 'arch.json')).toThrow(/arch.json: unknown model class "Graph"; available: Sequential, Functional/);
    const bad = { className: 'Sequential', config: { name: 's', layers: [{ className: 'InputLayer', config: { shape: [4] } }, { className: 'Lambda', config: { function: 'process.exit()' } }] } };
    expect(() => modelFromJson(bad, 'arch.json')).toThrow(CnnkitError);
    expect(() => modelFromJson(bad, 'arch.json')).toThrow(/arch.json: layerFromConfig: unknown layer class "Lambda": not a layer of cnnkit \(built in: InputLayer, Rescaling, Conv2D/);
    const noInput = { className: 'Sequential', config: { layers: [{ className: 'Dense', config: { units: 1 } }] } };
    expect(() => modelFromJson(noInput, 'arch.json')).toThrow(/arch.json: Sequential "sequential": expected an InputLayer/);
    const shape = { className: 'Sequential', config: { layers: [{ className: 'InputLayer', config: { shape: [2, 2, 1] } }, { className: 'Conv2D', config: { filters: 1, kernelSize: 3 } }] } };
    expect(() => modelFromJson(shape, 'arch.json')).toThrow(ShapeError);
    const dangling = { className: 'Functional', config: { layers: [{ className: 'InputLayer', config: { name: 'in', shape: [2] }, inbound: [] }, { className: 'Dense', config: { name: 'd', units: 1 }, inbound: ['x'] }], inputLayers: ['in'], outputLayers: ['d'] } };
    expect(() => modelFromJson(dangling, 'arch.json')).toThrow(/arch.json: layer "d" takes input from "x", which is not defined before it/);
  });
});

describe('Sequential', () => {
  it('requires an input shape first and checks shapes as layers are added', () => {
    expect(() => new Sequential().add(new Dense({ units: 1 }))).toThrow(/expected an InputLayer \(or the inputShape option\) before Dense/);
    const m = new Sequential({ inputShape: [4, 4, 1] });
    m.add(new Conv2D({ filters: 2, kernelSize: 3 }));
    expect(() => m.add(new Conv2D({ filters: 2, kernelSize: 3 }))).toThrow(/Conv2D: expected an input of at least 3x3 pixels .* received \(None, 2, 2, 2\)/);
  });
});

describe('setWeights and Optimizer.setState (called by every engine at epoch end)', () => {
  it('leave no tensor behind: the new values replace the old ones', () => {
    const model = new Sequential({ inputShape: [3], seed: 1, layers: [new Dense({ units: 2 })] });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const values = model.getWeights();
    const slots = new Map([...values].map(([k, t]) => [`${k}/m`, tf.onesLike(t)] as const));
    model.setWeights(values);
    model.compiled!.optimizer.setState({ iterations: 1, learningRate: 0.1, slots });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      model.setWeights(values);
      model.compiled!.optimizer.setState({ iterations: 1, learningRate: 0.1, slots });
    }
    expect(tf.memory().numTensors).toBe(before);
    // The model and the optimizer hold their own copies: disposing the inputs changes nothing.
    tf.dispose([...values.values(), ...slots.values()]);
    expect(model.getWeights().get('dense/bias')!.dataSync().length).toBe(2);
    expect(model.compiled!.optimizer.getState().slots.get('dense/bias/m')!.dataSync()[0]).toBe(1);
    model.dispose();
  });
});
