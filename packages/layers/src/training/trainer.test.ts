import { CnnkitError, countLeaks, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { GlobalAveragePooling2D } from '../layers/global-pooling2d.js';
import { Input } from '../layers/input-layer.js';
import { MaxPooling2D } from '../layers/max-pooling2d.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { trainStep } from './trainer.js';
import { useTestBackend, values } from '../test-utils/setup.js';

beforeAll(useTestBackend);

function tinyCnn(units = 1, activation: 'sigmoid' | 'softmax' | 'linear' = 'sigmoid'): Sequential {
  return new Sequential({
    inputShape: [6, 6, 2],
    seed: 3,
    layers: [
      new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      new BatchNormalization(),
      new MaxPooling2D(),
      new Dropout({ rate: 0.3 }),
      new GlobalAveragePooling2D(),
      new Dense({ units, activation }),
    ],
  });
}

const images = (n: number, seed = 1) => tf.tensor4d(values(n * 6 * 6 * 2, seed).map((v) => (v + 1) * 127), [n, 6, 6, 2]);

describe('training step', () => {
  it('leaks no tensors (after the first step created the optimizer slots)', async () => {
    const model = tinyCnn();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'auc'] });
    const x = images(4);
    const y = tf.tensor2d([[0], [1], [1], [0]]);
    await trainStep(model, [x], [y]);
    for (let i = 0; i < 2; i++) {
      const { leaked } = await countLeaks(() => trainStep(model, [x], [y], { 0: 1, 1: 2 }));
      expect(leaked).toBe(0);
    }
    const { leaked } = await countLeaks(async () => {
      await model.fit([x, y], { epochs: 2, batchSize: 2, verbose: 0, validationData: [x, y] });
      await model.evaluate({ x, y });
      (model.predict(x) as tf.Tensor).dispose();
    });
    expect(leaked).toBe(0);
  });

  it('holds the same tensors and backend memory at the end of every epoch after the first (GPU buffers too)', async () => {
    const model = tinyCnn();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const x = images(6);
    const y = tf.tensor2d([[0], [1], [1], [0], [1], [0]]);
    // webgpu reports bytes held on the GPU (numBytesInGPU); cpu and wasm report numBytes.
    const usage: Array<{ tensors: number; bytes: number }> = [];
    const probe = {
      onEpochEnd: () => {
        const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
        usage.push({ tensors: m.numTensors, bytes: m.numBytesInGPU ?? m.numBytes });
      },
    };
    await model.fit([x, y], { epochs: 4, batchSize: 2, verbose: 0, validationData: [x, y], callbacks: [probe] });
    // Epoch 1 creates the optimizer slots; from then on nothing may grow.
    expect(usage.slice(1)).toEqual([usage[1], usage[1], usage[1]]);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('changes trainable weights only; frozen layers and statistics are not optimised', async () => {
    const model = tinyCnn();
    model.layers[1].trainable = false; // the conv
    model.compile({ optimizer: { className: 'SGD', config: { learningRate: 0.1 } }, loss: 'binary_crossentropy' });
    const before = model.getWeights();
    await trainStep(model, [images(4)], [tf.tensor2d([[0], [1], [1], [0]])]);
    const after = model.getWeights();
    const changed = async (p: string) => {
      const [b, a] = await Promise.all([before.get(p)!.data(), after.get(p)!.data()]);
      return Array.from(b).some((v, i) => v !== a[i]);
    };
    expect(await changed('conv2d/kernel')).toBe(false);
    expect(await changed('dense/kernel')).toBe(true);
    expect(await changed('batch_normalization/gamma')).toBe(true);
    expect(await changed('batch_normalization/moving_mean')).toBe(true); // updated by the forward pass, not the optimizer
  });
});

describe('fit / evaluate', () => {
  it('accepts { xs, ys }, { images, labels }, [x, y] batches, async iterables and epoch functions', async () => {
    const model = tinyCnn(3, 'softmax');
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = images(4);
    const y = tf.tensor1d([0, 2, 1, 2], 'int32');
    const batches = [{ xs: x, ys: y }, { images: x, labels: y }, [x, y] as const];
    const h1 = await model.fit(batches, { epochs: 2, verbose: 0 });
    expect(h1.epoch).toEqual([0, 1]);
    expect(h1.history.loss).toHaveLength(2);
    expect(h1.history.accuracy).toHaveLength(2);
    let calls = 0;
    const h2 = await model.fit(
      (epoch) => ({
        async *[Symbol.asyncIterator]() {
          calls++;
          yield { xs: tf.clone(x), ys: tf.clone(y) };
          if (epoch > 0) yield { xs: tf.clone(x), ys: tf.clone(y) };
        },
      }),
      { epochs: 2, verbose: 0 },
    );
    expect(calls).toBe(2);
    expect(h2.history.loss).toHaveLength(2);
    const logs = await model.evaluate([x, y], { batchSize: 3 });
    expect(Object.keys(logs).sort()).toEqual(['accuracy', 'loss']);
  });

  it('reports the batch-size-weighted mean loss, as Keras', async () => {
    const model = new Sequential({ inputShape: [1], layers: [new Dense({ units: 1, kernelInitializer: 'zeros', activation: 'sigmoid' })] });
    model.compile({ optimizer: { className: 'SGD', config: { learningRate: 0 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
    // Weights stay at zero: every prediction is 0.5, loss ln 2 per example, accuracy 0 for label 1 (0.5 is not > 0.5).
    const x = tf.tensor2d([[1], [2], [3]]);
    const y = tf.tensor2d([[1], [1], [0]]);
    const h = await model.fit([x, y], { batchSize: 2, epochs: 1, verbose: 0, shuffle: false });
    expect(h.history.loss[0]).toBeCloseTo(Math.LN2, 6);
    expect(h.history.accuracy[0]).toBeCloseTo(1 / 3, 6);
    const weighted = await model.fit([x, y], { batchSize: 3, epochs: 1, verbose: 0, classWeight: { 0: 0, 1: 3 } });
    expect(weighted.history.loss[0]).toBeCloseTo((3 * 2 * Math.LN2) / 3, 5);
  });

  it('weights each batch loss by its size when the examples have unequal losses', async () => {
    // Kernel 1, bias 0, learning rate 0: p = sigmoid(x) stays fixed. Per-example binary
    // cross-entropy, worked out by hand: x=0, y=1 -> ln 2; x=1, y=1 -> ln(1 + e^-1);
    // x=2, y=0 -> -ln(1 - sigmoid(2)) = ln(1 + e^2). batchSize 2 gives batches {0, 1}
    // and {2}; Keras's epoch loss is their size-weighted mean, which is the plain mean of
    // the three example losses (1.0444); the unweighted mean of the two batch means is 1.3150.
    const model = new Sequential({ inputShape: [1], layers: [new Dense({ units: 1, kernelInitializer: 'ones', activation: 'sigmoid' })] });
    model.compile({ optimizer: { className: 'SGD', config: { learningRate: 0 } }, loss: 'binary_crossentropy' });
    const x = tf.tensor2d([[0], [1], [2]]);
    const y = tf.tensor2d([[1], [1], [0]]);
    const expected = (Math.LN2 + Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(2))) / 3;
    const h = await model.fit([x, y], { batchSize: 2, epochs: 1, verbose: 0, shuffle: false });
    // float32 losses: tolerance 1e-5.
    expect(Math.abs(h.history.loss[0] - expected)).toBeLessThan(1e-5);
    const logs = await model.evaluate([x, y], { batchSize: 2 });
    expect(Math.abs(logs.loss - expected)).toBeLessThan(1e-5);
  });

  it('a NaN loss stops training with an error naming the epoch and step', async () => {
    const model = tinyCnn();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const good = { xs: images(2), ys: tf.tensor2d([[0], [1]]) };
    // NaN labels, not NaN pixels: XNNPACK's relu and max-pool (wasm) map NaN to a
    // number, so NaN pixels do not reach the loss on every backend.
    const bad = { xs: images(2), ys: tf.tensor2d([[Number.NaN], [1]]) };
    const run = model.fit([good, good, bad], { epochs: 1, verbose: 0 });
    await expect(run).rejects.toThrow(CnnkitError);
    await expect(run).rejects.toThrow(/fit: the loss became NaN at epoch 1, step 3; lower the learning rate/);
    const second = tinyCnn();
    second.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    await expect(second.fit([good, bad], { epochs: 2, initialEpoch: 1, verbose: 0 })).rejects.toThrow(/at epoch 2, step 2/);
  });

  it('a weight that became NaN while the loss stayed finite stops training at the epoch end, naming the weight', async () => {
    // On wasm a diverged model can report a finite loss (XNNPACK's relu and max-pool map
    // NaN to numbers); here a callback plants the NaN after the last batch's loss, on any backend.
    const model = tinyCnn();
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    const batch = { xs: images(2), ys: tf.tensor2d([[0], [1]]) };
    const target = model.namedWeights().find((w) => w.path.endsWith('/bias'))!;
    const plant = {
      onBatchEnd: async (step: number) => {
        if (step !== 2) return;
        const values = (await target.variable.data()).slice();
        values[0] = Number.NaN;
        target.variable.assign(tf.tensor(values, target.variable.shape));
      },
    };
    const run = model.fit([batch, batch], { epochs: 1, verbose: 0, callbacks: [plant] });
    await expect(run).rejects.toThrow(CnnkitError);
    await expect(run).rejects.toThrow(new RegExp(`fit: weight ${target.path} became NaN at epoch 1 \\(the loss was [0-9.]+\\); lower the learning rate`));
  });

  it('clear errors for misuse', async () => {
    const model = tinyCnn();
    await expect(model.fit([images(2), tf.zeros([2, 1])], { verbose: 0 })).rejects.toThrow(/must be compiled first: model.compile/);
    model.compile({ loss: 'binary_crossentropy' });
    expect(model.compiled!.optimizer.className).toBe('RMSprop');
    await expect(model.fit([images(2), tf.zeros([3, 1])], { verbose: 0 })).rejects.toThrow(/expected inputs and labels with one number of examples/);
    await expect(model.fit(42 as never, { verbose: 0 })).rejects.toThrow(/fit: expected batches/);
    const once = (async function* () {
      yield { xs: images(2), ys: tf.zeros([2, 1]) };
    })();
    await expect(model.fit(once, { epochs: 2, verbose: 0 })).rejects.toThrow(/epoch 2 received no batches; is the data iterable only once\?/);
    expect(() => model.compile({ loss: 'binary_crossentropy', metrics: ['f1'] })).toThrow(/unknown metric "f1"; available: accuracy, precision, recall, auc/);
  });

  it('batches without labels (a labelMode: null dataset) fail fit and evaluate in one line, before any step', async () => {
    const model = tinyCnn();
    model.compile({ loss: 'binary_crossentropy' });
    const before = (await model.namedWeights()[0].variable.data()).slice();
    const expected = (op: string, what: string) =>
      `${op}: expected batches with labels, received ${what} (a dataset made with labelMode: null has none); make the dataset with labelMode 'int', 'binary' or 'categorical', or use predict for images alone`;
    const unlabelled = [{ images: images(2), labels: null }];
    await expect(model.fit(unlabelled as never, { verbose: 0 })).rejects.toThrow(expected('fit', 'labels null'));
    await expect(model.evaluate(unlabelled as never)).rejects.toThrow(expected('evaluate', 'labels null'));
    await expect(model.fit({ x: images(2), y: null } as never, { verbose: 0 })).rejects.toThrow(expected('fit', 'labels null'));
    await expect(model.fit([{ xs: images(2), ys: [null] }] as never, { verbose: 0 })).rejects.toThrow(expected('fit', 'a list of labels holding null'));
    expect(Array.from(await model.namedWeights()[0].variable.data())).toEqual(Array.from(before));
    // Unlabelled validation data is named as fit's option, after the epoch it validates.
    await expect(model.fit([{ images: images(2), labels: tf.zeros([2, 1]) }], { verbose: 0, validationData: unlabelled as never })).rejects.toThrow(expected('fit (validationData)', 'labels null'));
  });

  it('trains a two-output functional model and names metrics per output', async () => {
    const x = Input({ shape: [3] });
    const a = new Dense({ units: 1, activation: 'sigmoid', name: 'a' }).apply(x);
    const b = new Dense({ units: 1, activation: 'sigmoid', name: 'b' }).apply(x);
    const model = new Model({ inputs: x, outputs: [a, b] });
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit([{ xs: tf.ones([2, 3]), ys: [tf.ones([2, 1]), tf.zeros([2, 1])] }], { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['a_accuracy', 'b_accuracy', 'learning_rate', 'loss']);
  });
});
