import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AugmentLayer, augmentation, RandomContrast, RandomFlip, RandomRotation, RandomZoom } from '@cnnkit/augment';
import { wasmBackend } from '@cnnkit/backend-wasm';
import {
  Activation,
  Add,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Conv2DTranspose,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  Input,
  LAYER_CLASS_NAMES,
  MaxPooling2D,
  Model,
  Rescaling,
  SeparableConv2D,
  UpSampling2D,
  seedCnn,
} from '@cnnkit/layers';
import { BackendRegistry, createRng, selectBackend, tf } from '@cnnkit/tensor-core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAndVerify, exportDescription, exportModel, verifyExport } from './export-model-from-layers.js';

const TOLERANCE = 1e-4;

/** Every layers class, plus augmentation layers (a single transform and a pipeline), in one DAG. */
function everyLayerModel(): Model {
  const x = Input({ shape: [16, 16, 3] });
  let a = new AugmentLayer(new RandomFlip({ mode: 'horizontal' })).apply(x);
  a = new AugmentLayer(new RandomRotation({ factor: 0.1 })).apply(a);
  a = new AugmentLayer(augmentation([new RandomZoom({ heightFactor: 0.1 }), new RandomContrast({ factor: 0.2 })])).apply(a);
  const r = new Rescaling({ scale: 1 / 255 }).apply(a);
  const c1 = new Conv2D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(r);
  const bn = new BatchNormalization({}).apply(c1);
  const s = new SeparableConv2D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'gelu' }).apply(bn);
  const sum = new Add({}).apply([bn, s]);
  const p1 = new MaxPooling2D({}).apply(sum);
  const p2 = new AveragePooling2D({}).apply(sum);
  const cat = new Concatenate({}).apply([p1, p2]);
  const up = new UpSampling2D({ size: 2 }).apply(cat);
  const t = new Conv2DTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'leaky_relu' }).apply(cat);
  const cat2 = new Concatenate({}).apply([up, t]);
  const act = new Activation({ activation: 'elu' }).apply(cat2);
  const g1 = new GlobalAveragePooling2D({}).apply(act);
  const g2 = new GlobalMaxPooling2D({}).apply(act);
  const f = new Flatten({}).apply(new MaxPooling2D({ poolSize: 4 }).apply(act));
  const h = new Dense({ units: 8, activation: 'tanh' }).apply(f);
  const joined = new Concatenate({}).apply([g1, g2, h]);
  const d = new Dropout({ rate: 0.5 }).apply(joined);
  const out = new Dense({ units: 3, activation: 'softmax' }).apply(d);
  return new Model({ inputs: x, outputs: out, seed: 3 });
}

function pixels(n: number, size: number, seed: number): tf.Tensor4D {
  return tf.tensor4d(createRng(seed).fillUniform(new Float32Array(n * size * size * 3), 0, 255), [n, size, size, 3]);
}

/** One optimizer step so the exported weights (and BatchNormalization statistics) are not the initial ones. */
async function trainOneStep(model: Model, classes: number, size: number): Promise<void> {
  const x = pixels(4, size, 11);
  const labels = [0, 1, 2, 1].map((c) => c % classes);
  const y = classes === 2 ? tf.tensor2d(labels, [4, 1]) : tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
  model.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: classes === 2 ? 'binary_crossentropy' : 'categorical_crossentropy' });
  const before = model.getWeights();
  await model.fit({ x, y }, { epochs: 1, batchSize: 4, verbose: 0 });
  const after = model.getWeights();
  const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(before.get('conv2d/kernel')!, after.get('conv2d/kernel')!))).dataSync()[0]);
  expect(moved).toBeGreaterThan(1e-4);
  tf.dispose([x, y, ...before.values(), ...after.values()]);
}

let dir: string;
beforeAll(async () => {
  await selectBackend({ name: 'wasm', registry: new BackendRegistry().add(wasmBackend()) });
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-export-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exportModel from a layers Model (onnxruntime-node vs model.predict on wasm)', () => {
  it('covers every layer class, augmentation layers as identity, multi-class head [N, 3]', async () => {
    const model = everyLayerModel();
    const classes = new Set(model.layers.map((l) => l.className));
    for (const name of LAYER_CLASS_NAMES) expect(classes, name).toContain(name);
    await trainOneStep(model, 3, 16);
    const description = await exportDescription(model, ['a', 'b', 'c']);
    // Layers' snake-case weight names reach the exporter in Keras 3 camelCase.
    expect(Object.keys(description.layers.find((l) => l.className === 'BatchNormalization')!.weights).sort()).toEqual(['beta', 'gamma', 'movingMean', 'movingVariance']);
    expect(description.layers.find((l) => l.className === 'Conv2DTranspose')!.weights.kernel.shape).toEqual([3, 3, 4, 16]);
    const bytes = await exportModel(model, { classNames: ['a', 'b', 'c'] });
    const real = pixels(5, 16, 21);
    const result = await verifyExport(model, bytes, { images: [{ data: real.dataSync() as Float32Array, shape: [5, 16, 16, 3] }] });
    console.log(`every-layer model: max |onnx - predict| per batch ${JSON.stringify(result.perInput.map((p) => [p.shape[0], p.maxAbsDiff]))}`);
    expect(result.perInput.map((p) => p.shape[0])).toEqual([1, 3, 5]);
    expect(result.perInput.map((p) => p.outputShape)).toEqual([[1, 3], [3, 3], [5, 3]]);
    expect(result.maxAbsDiff).toBeLessThanOrEqual(TOLERANCE);
    expect(result.ok).toBe(true);
    real.dispose();
    model.dispose();
  }, 180_000);

  for (const numClasses of [2, 4]) {
    it(`seedCnn trained a step, ${numClasses} classes: exportAndVerify writes a file that matches predict`, async () => {
      const model = seedCnn({
        imageSize: [32, 32],
        numClasses,
        augmentation: [new AugmentLayer(new RandomFlip({ mode: 'horizontal' })), new AugmentLayer(new RandomRotation({ factor: 0.1 }))],
      });
      await trainOneStep(model, numClasses, 32);
      const classNames = Array.from({ length: numClasses }, (_, i) => `class${i}`);
      const path = join(dir, `seed-${numClasses}.onnx`);
      const { verification } = await exportAndVerify(model, path, { classNames });
      const units = numClasses === 2 ? 1 : numClasses;
      console.log(`seedCnn ${numClasses} classes: max |onnx - predict| ${verification.maxAbsDiff}`);
      expect(verification.perInput.map((p) => p.outputShape)).toEqual([[1, units], [3, units]]);
      expect(verification.maxAbsDiff).toBeLessThanOrEqual(TOLERANCE);

      // The written file runs on its own at another batch size, and carries the class names.
      const session = await ort.InferenceSession.create(path);
      const x = pixels(6, 32, 5);
      const out = await session.run({ image: new ort.Tensor('float32', x.dataSync() as Float32Array, [6, 32, 32, 3]) });
      const expected = model.predict(x) as tf.Tensor;
      const diff = Math.max(...Array.from(out.probabilities.data as Float32Array, (v, i) => Math.abs(v - (expected.dataSync()[i] ?? NaN))));
      expect(out.probabilities.dims).toEqual([6, units]);
      expect(diff).toBeLessThanOrEqual(TOLERANCE);
      await session.release();
      const metadata = (await readFile(path)).toString('latin1');
      expect(metadata).toContain(JSON.stringify(classNames));
      tf.dispose([x, expected]);
      model.dispose();
    }, 180_000);
  }

  it('exportAndVerify throws with the difference and writes nothing when verification fails', async () => {
    const model = seedCnn({ imageSize: [16, 16], numClasses: 2 });
    const path = join(dir, 'never.onnx');
    // A negative tolerance no difference can meet: the failing path, deterministically.
    await expect(exportAndVerify(model, path, { tolerance: -1 })).rejects.toThrow(
      /exportAndVerify: the ONNX export of model "sequential" differs from model.predict by .* \(expected <= -1; per input \[1, 16, 16, 3\]: .*\); .*never.onnx was not written/,
    );
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
    await expect(verifyExport(model, new Uint8Array(), { images: [{ data: new Float32Array(3), shape: [1, 8, 8, 3] }] })).rejects.toThrow(
      /verifyExport: expected images\[0\] of shape \[n, 16, 16, 3\]/,
    );
    model.dispose();
  });
});
