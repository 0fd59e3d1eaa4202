import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendRegistry, createRng, selectBackend, tf } from '@cnnkit/tensor-core';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { Dense, LAYER_PROVIDERS, Sequential, chooseTrainingEngine, loadCheckpoint, loadModel, modelFromJson, saveCheckpoint, saveModel, seedCnn, type Model } from '@cnnkit/layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AugmentLayer } from './augment-layer.js';
import { AUGMENT_LAYER_CLASS_NAMES, registerAugmentLayers } from './register-augment-layers.js';
import { augmentation } from './augmentation.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';

const SIZE = 32;

function tutorialModel(seed = 0): Model {
  return seedCnn({
    imageSize: [SIZE, SIZE],
    numClasses: 2,
    seed,
    augmentation: [new AugmentLayer(new RandomFlip({ mode: 'horizontal' })), new AugmentLayer(new RandomRotation({ factor: 0.1 }))],
  });
}

function batch(n: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const rng = createRng(seed);
  const x = tf.tensor4d(rng.fillUniform(new Float32Array(n * SIZE * SIZE * 3), 0, 255), [n, SIZE, SIZE, 3]);
  const y = tf.tensor2d(Array.from({ length: n }, (_, i) => i % 2), [n, 1]);
  return { x, y };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

let dir: string;
beforeAll(async () => {
  await selectBackend({ name: 'wasm', registry: new BackendRegistry().add(wasmBackend()) });
  registerAugmentLayers();
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-augment-layer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('AugmentLayer in seedCnn', () => {
  it('trains a step, saves, loads and predicts identically; inference ignores the augmentation', async () => {
    const model = tutorialModel();
    expect(model.layers.map((l) => l.name).slice(1, 3)).toEqual(['random_flip', 'random_rotation']);
    model.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const { x, y } = batch(4, 1);
    const before = model.getWeights();
    await model.fit({ x, y }, { epochs: 1, batchSize: 4, verbose: 0 });
    // The step changed the weights, so "identical after load" is not trivially the initial weights.
    const after = model.getWeights();
    expect(maxAbsDiff(before.get('conv2d/kernel')!, after.get('conv2d/kernel')!)).toBeGreaterThan(1e-4);
    for (const t of [...before.values(), ...after.values()]) t.dispose();

    await saveModel(model, join(dir, 'model'), { classNames: ['cat', 'dog'] });
    const { model: loaded } = await loadModel(join(dir, 'model'));
    expect(loaded.layers.map((l) => l.className).slice(1, 3)).toEqual(['RandomFlip', 'RandomRotation']);
    expect(loaded.layers[2].getConfig()).toMatchObject({ name: 'random_rotation', factor: 0.1 });
    const { x: test } = batch(3, 2);
    const p1 = model.predict(test) as tf.Tensor;
    const p2 = loaded.predict(test) as tf.Tensor;
    expect(maxAbsDiff(p1, p2)).toBe(0);

    // Same weights without augmentation layers: the inference output is the same to the bit.
    const plain = seedCnn({ imageSize: [SIZE, SIZE], numClasses: 2 });
    const weights = model.getWeights();
    plain.setWeights(weights);
    const p3 = plain.predict(test) as tf.Tensor;
    expect(maxAbsDiff(p1, p3)).toBe(0);
    // ...while a training-mode forward pass does see augmented images (the layers are live).
    const trainingOut = model.call([test], { training: true })[0];
    expect(maxAbsDiff(trainingOut, p1)).toBeGreaterThan(1e-6);
    tf.dispose([x, y, test, p1, p2, p3, trainingOut, ...weights.values()]);
    for (const m of [model, loaded, plain]) m.dispose();
  }, 120_000);

  it('restores the augmentation random streams from a checkpoint', async () => {
    const model = tutorialModel(7);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    const { x, y } = batch(2, 3);
    await model.fit({ x, y }, { epochs: 1, batchSize: 2, verbose: 0 });
    await saveCheckpoint(model, join(dir, 'ckpt'), { epoch: 1 });
    const { model: resumed } = await loadCheckpoint(join(dir, 'ckpt'));
    expect(Object.keys(model.getRngStates())).toEqual(expect.arrayContaining(['random_flip', 'random_rotation']));
    // The next training-mode pass draws the same flips and angles in both.
    const flipOf = (m: Model) => m.getLayer('random_rotation').call([m.getLayer('random_flip').call([x], { training: true, rngFor: (n) => m.rngFor(n) })], { training: true, rngFor: (n) => m.rngFor(n) });
    const a = flipOf(model);
    const b = flipOf(resumed);
    expect(maxAbsDiff(a, b)).toBe(0);
    // ...and a model with fresh streams draws differently (the check above can fail).
    const fresh = tutorialModel(7);
    const c = flipOf(fresh);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1);
    tf.dispose([x, y, a, b, c]);
    for (const m of [model, resumed, fresh]) m.dispose();
  }, 120_000);

  it('loads every augment class and an Augmentation pipeline from its config', () => {
    const x = { className: 'Sequential', config: { name: 's', seed: 0, layers: [
      { className: 'InputLayer', config: { name: 'input_layer', shape: [SIZE, SIZE, 3] } },
      new AugmentLayer(augmentation([new RandomFlip({ seed: 3 })], { seed: 5 }), { name: 'aug' }).toSpec(),
    ] } };
    const model = modelFromJson(JSON.parse(JSON.stringify(x)) as never);
    expect(model.layers[1].className).toBe('Augmentation');
    expect(model.layers[1].getConfig()).toMatchObject({ name: 'aug', seed: 5, layers: [{ className: 'RandomFlip' }] });
    expect(() => new AugmentLayer({} as never)).toThrow(/AugmentLayer: expected an ImageTransform such as new RandomFlip\(\), received/);
    model.dispose();
  });
});

describe('augment transforms go into a model as they are (Keras style)', () => {
  it('Sequential and seedCnn wrap them by toLayer(): the same model, to the bit, as explicit AugmentLayers', async () => {
    const direct = seedCnn({ imageSize: [SIZE, SIZE], numClasses: 2, seed: 4, augmentation: [new RandomFlip({ mode: 'horizontal' }), new RandomRotation({ factor: 0.1 })] });
    const wrapped = seedCnn({ imageSize: [SIZE, SIZE], numClasses: 2, seed: 4, augmentation: [new AugmentLayer(new RandomFlip({ mode: 'horizontal' })), new AugmentLayer(new RandomRotation({ factor: 0.1 }))] });
    expect(direct.getConfig()).toEqual(wrapped.getConfig());
    const { x: test } = batch(3, 5);
    // A training-mode pass draws flips and rotations from the model's streams: equal draws, equal outputs.
    const a = direct.call([test], { training: true })[0];
    const b = wrapped.call([test], { training: true })[0];
    expect(maxAbsDiff(a, b)).toBe(0);
    const seq = new Sequential({ inputShape: [SIZE, SIZE, 3] }).add(new RandomFlip({ mode: 'vertical' })).add(new Dense({ units: 1 }));
    expect(seq.layers[1]).toBeInstanceOf(AugmentLayer);
    expect(seq.layers[1].className).toBe('RandomFlip');
    expect(() => new Sequential({ inputShape: [2, 2, 3] }).add({ mode: 'horizontal' } as never)).toThrow(
      'Sequential "sequential".add: expected a Layer (e.g. new Conv2D({...})) or an augment transform (e.g. new RandomFlip()), received {"mode":"horizontal"}',
    );
    tf.dispose([test, a, b]);
    for (const m of [direct, wrapped, seq]) m.dispose();
  });

  it("the layers package's table of provided classes is this package's list", () => {
    const listed = LAYER_PROVIDERS.find((p) => p.package === '@cnnkit/augment');
    expect(listed?.register).toBe('registerAugmentLayers');
    expect([...(listed?.classNames ?? [])].sort()).toEqual([...AUGMENT_LAYER_CLASS_NAMES].sort());
  });
});

describe('augmentation layers on data-parallel worker threads', () => {
  it('the workers register the classes themselves (the layer names its setup): a model with augmentation trains data-parallel, as auto chooses it', async () => {
    const model = tutorialModel(6);
    model.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: 'binary_crossentropy' });
    const registry = new BackendRegistry().add(wasmBackend());
    const chosen = await chooseTrainingEngine(model, { registry, workers: 2 });
    try {
      expect(chosen).toMatchObject({ kind: 'data-parallel', backend: 'wasm', workers: 2 });
      const before = model.getWeights().get('conv2d/kernel')!;
      const { x, y } = batch(4, 3);
      const history = await model.fit({ x, y }, { epochs: 1, batchSize: 4, verbose: 0, engine: chosen.engine });
      expect(Number.isFinite(history.history.loss[0])).toBe(true);
      const after = model.getWeights().get('conv2d/kernel')!;
      // The step ran in the workers and came back: the weights moved.
      expect(maxAbsDiff(before, after)).toBeGreaterThan(1e-4);
      tf.dispose([before, after, x, y]);
    } finally {
      await chosen.dispose();
      model.dispose();
    }
  }, 120_000);
});
