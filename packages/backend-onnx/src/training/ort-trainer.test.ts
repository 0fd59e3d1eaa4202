import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conv2D, Dense, Dropout, Flatten, Input, LAYER_CLASS_NAMES, Layer, loadModel, Model, Rmsprop, saveModel, seedCnn, Sequential, Sgd, type Shape } from '@cnnkit/layers';
import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm, values } from './test-utils/parity.js';
import { compileTrainingGraph } from './compile-training-graph.js';
import { ortTrainingSupport } from './capability.js';
import { createOrtTrainer } from './ort-trainer.js';

beforeAll(useWasm);

/** A layer class the layers package does not have (as a plugin's registerLayerClass adds one). */
class Negate extends Layer {
  readonly className = 'Negate';

  constructor() {
    super({});
  }

  override get defaultName(): string {
    return 'negate';
  }

  computeOutputShape(shapes: readonly Shape[]): Shape {
    return shapes[0];
  }

  call([x]: readonly tf.Tensor[]): tf.Tensor {
    return tf.neg(x);
  }

  getConfig(): Record<string, unknown> {
    return this.baseConfig();
  }
}

function data(n: number, size: number): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.tensor(Float32Array.from(values(n * size * size * 3, 21), (v) => Math.round((v + 1) * 127.5)), [n, size, size, 3]),
    y: tf.tensor(Float32Array.from({ length: n }, (_, i) => i % 2), [n, 1]),
  };
}

describe('OrtTrainer with fit', () => {
  it('fit({ engine }) with a smaller last batch matches fit on wasm (losses, accuracy, weights), then saves, loads on wasm and predicts the same', async () => {
    const { x, y } = data(7, 16);
    const make = () => seedCnn({ imageSize: [16, 16], numClasses: 2, seed: 4 });
    const compile = () => ({ optimizer: new Rmsprop({ learningRate: 1e-3 }), loss: 'binary_crossentropy' as const, metrics: ['accuracy'] });
    const ref = make();
    ref.compile(compile());
    const refHistory = await ref.fit([x, y], { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 });
    const model = make();
    const trainer = await createOrtTrainer(model, compile());
    // 7 examples in batches of 3: 3, 3, 1 — the last batch runs in its own session.
    const history = await model.fit([x, y], { epochs: 2, batchSize: 3, shuffle: false, verbose: 0, engine: trainer });
    for (let e = 0; e < 2; e++) {
      expect(history.history.loss[e]).toBeCloseTo(refHistory.history.loss[e], 4);
      expect(history.history.accuracy[e]).toBe(refHistory.history.accuracy[e]);
    }
    const a = ref.getWeights();
    const b = model.getWeights();
    for (const [path, t] of a) {
      const va = t.dataSync();
      const vb = b.get(path)!.dataSync();
      for (let i = 0; i < va.length; i++) expect(Math.abs(va[i] - vb[i]), path).toBeLessThan(1e-4);
    }
    const dir = await mkdtemp(join(tmpdir(), 'cnnkit-ort-'));
    try {
      await saveModel(model, dir);
      const { model: loaded } = await loadModel(dir);
      const p1 = (loaded.predict(x) as tf.Tensor).dataSync();
      const p2 = (model.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(p1)).toEqual(Array.from(p2));
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await trainer.dispose();
    for (const t of [...a.values(), ...b.values(), x, y]) t.dispose();
    ref.dispose();
    model.dispose();
  });

  it('dropout draws a fresh mask every step, reproducibly from the model seed', async () => {
    const { x, y } = data(3, 8);
    const run = async () => {
      const model = new Sequential({ inputShape: [8, 8, 3], seed: 5, layers: [new Conv2D({ filters: 2, kernelSize: 3 }), new Dropout({ rate: 0.5 }), new Flatten(), new Dense({ units: 1, activation: 'sigmoid' })] });
      // lr 0: the weights stay, so only the mask changes the loss from step to step.
      const trainer = await createOrtTrainer(model, { optimizer: new Sgd({ learningRate: 0 }), loss: 'binary_crossentropy' });
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) losses.push((await trainer.step([x], [y])).loss);
      await trainer.dispose();
      model.dispose();
      return losses;
    };
    const first = await run();
    expect(new Set(first).size).toBe(3);
    expect(await run()).toEqual(first);
    x.dispose();
    y.dispose();
  });

  it('a layer it cannot compile (a class added by a user or a plugin) is named, with the supported list', () => {
    const model = new Sequential({ inputShape: [8, 8, 3], layers: [new Conv2D({ filters: 2, kernelSize: 3 }), new Negate(), new Flatten(), new Dense({ units: 1, activation: 'sigmoid' })] });
    let error: unknown;
    try {
      compileTrainingGraph(model, { loss: 'binary_crossentropy', optimizer: 'sgd', batchSize: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CnnkitError);
    expect((error as Error).message).toMatch(
      /layer "negate" \(Negate\) cannot be compiled.*supported: InputLayer, Rescaling, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Dense, Flatten, Dropout, BatchNormalization, UpSampling2D, Conv2DTranspose, SeparableConv2D, Activation, Add, Concatenate/,
    );
    model.dispose();
  });

  it('a model with two outputs is refused, saying what the engine takes', () => {
    const input = Input({ shape: [4, 4, 1] });
    const flat = new Flatten().apply(input);
    const model = new Model({ inputs: input, outputs: [new Dense({ units: 1, activation: 'sigmoid' }).apply(flat), new Dense({ units: 1, activation: 'sigmoid' }).apply(flat)] });
    expect(() => compileTrainingGraph(model, { loss: 'binary_crossentropy', optimizer: 'sgd', batchSize: 2 })).toThrow(/has 1 input\(s\) and 2 output\(s\); the ORT training engine supports one input and one output/);
    model.dispose();
  });

  it('reports training support for the onnx plugin', () => {
    const s = ortTrainingSupport();
    expect(s.training).toBe(true);
    // Every built-in layer class of the layers package.
    expect([...s.layers].sort()).toEqual([...LAYER_CLASS_NAMES].sort());
    expect(s.optimizers).toEqual(['SGD', 'RMSprop', 'Adam', 'AdamW']);
  });
});
