import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { tf } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { BatchNormalization } from '../layers/batch-normalization.js';
import type { Logs } from '../callbacks/callback.js';
import { DataParallelTrainer, createDataParallelTrainer } from './data-parallel-trainer.js';
import { shardSizes, weightedAverage } from './data-parallel-protocol.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { loadCheckpoint, saveCheckpoint } from '../io/checkpoint.js';
import { Layer, type LayerArgs } from '../layers/layer.js';
import type { Model } from '../models/model.js';
import { seedCnn } from '../models/seed-cnn.js';
import { Sequential } from '../models/sequential.js';
import type { Shape } from '../utils/shape.js';
import type { CompileArgs, FitOptions } from './trainer.js';
import { dataParallelFixture, skipDataParallel } from '../test-utils/data-parallel-fixture.js';
import { values } from '../test-utils/setup.js';

const skip = skipDataParallel;
const fixture = dataParallelFixture('dp');
const trainer = fixture.trainer;

function maxDiff(a: Map<string, tf.Tensor> | Map<string, Float32Array>, b: Map<string, tf.Tensor> | Map<string, Float32Array>): number {
  let max = 0;
  for (const [path, va] of a) {
    const x = va instanceof tf.Tensor ? va.dataSync() : va;
    const vb = b.get(path)!;
    const y = vb instanceof tf.Tensor ? vb.dataSync() : vb;
    expect(y.length, path).toBe(x.length);
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
  }
  return max;
}

/** Fits and records the running loss after every step. */
async function fitRecording(model: Model, data: [tf.Tensor, tf.Tensor], options: FitOptions): Promise<{ steps: number[]; epochs: number[] }> {
  const steps: number[] = [];
  const history = await model.fit(data, {
    verbose: 0,
    ...options,
    callbacks: [{ onBatchEnd: (_s: number, logs: Logs) => void steps.push(logs.loss) }, ...(options.callbacks ?? [])],
  });
  return { steps, epochs: history.history.loss };
}

describe('shardSizes and weightedAverage', () => {
  it.each([
    [32, 2, [16, 16]],
    [33, 2, [17, 16]],
    [5, 2, [3, 2]],
    [1, 2, [1, 0]],
    [7, 3, [3, 2, 2]],
    [2, 4, [1, 1, 0, 0]],
  ])('%i examples over %i workers -> %j', (n, workers, expected) => {
    expect(shardSizes(n, workers)).toEqual(expected);
  });

  it('weights each part by its shard size (the full-batch mean from shard means)', () => {
    // Shard means 1 (3 examples) and 4 (1 example): the batch mean is (3 + 4) / 4.
    expect(Array.from(weightedAverage([Float32Array.of(1, 0), Float32Array.of(4, 2)], [3, 1]))).toEqual([1.75, 0.5]);
    expect(Array.from(weightedAverage([Float32Array.of(5)], [7]))).toEqual([5]);
  });
});

describe('DataParallelTrainer arguments', () => {
  const compiled = () => {
    const model = new Sequential({ inputShape: [2], layers: [new Dense({ units: 1 })] });
    model.compile({ loss: 'mse' });
    return model;
  };
  const cuda = { ...wasmBackend(), name: 'cuda' as const, worker: undefined };
  it.each([
    ['an uncompiled model', () => new DataParallelTrainer(new Sequential({ inputShape: [2], layers: [new Dense({ units: 1 })] }), { backend: wasmBackend(), workers: 2 }), /must be compiled first/],
    ['0 workers', () => new DataParallelTrainer(compiled(), { backend: wasmBackend(), workers: 0 }), /expected workers a positive integer, received 0/],
    ['a plugin without a worker source', () => new DataParallelTrainer(compiled(), { backend: cuda, workers: 2 }), /backend "cuda" cannot run in worker threads/],
    ['an unregistered backend name', () => new DataParallelTrainer(compiled(), { backend: 'cuda', workers: 2 }), /backend "cuda" is not registered in defaultRegistry/],
    ['an unknown update mode', () => new DataParallelTrainer(compiled(), { backend: wasmBackend(), workers: 2, update: 'both' as 'main' }), /expected update "workers" or "main"/],
  ])('rejects %s', (_what, make, message) => {
    expect(make).toThrow(message);
  });

  it('takes a registered backend by name (no worker starts before start/begin/step)', () => {
    const t = new DataParallelTrainer(compiled(), { backend: 'wasm', workers: 3 });
    expect(t.name).toBe('data-parallel wasm x3');
    expect(t.liveWorkers).toBe(0);
  });
});

describe.skipIf(skip)('DataParallelTrainer on 2 wasm workers', () => {
  it('tutorial CNN at 32 px: the same losses and weights as single-instance wasm fit (batch 3 and a last batch of 1), replicas identical', async () => {
    const n = 7;
    const x = tf.tensor4d(values(n * 32 * 32 * 3, 5).map((v) => (v + 1) * 127.5), [n, 32, 32, 3]);
    const y = tf.tensor2d([0, 1, 1, 0, 1, 0, 1], [n, 1]);
    const compile: CompileArgs = { optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] };
    const single = seedCnn({ imageSize: [32, 32], numClasses: 2, seed: 3 });
    single.compile(compile);
    const parallel = seedCnn({ imageSize: [32, 32], numClasses: 2, seed: 3 });
    const engine = await trainer(parallel, compile);
    const options: FitOptions = { epochs: 2, batchSize: 3, shuffle: true };
    const a = await fitRecording(single, [x, y], options);
    const b = await fitRecording(parallel, [x, y], { ...options, engine });
    expect(b.steps).toHaveLength(6);
    expect(engine.timings.steps).toBe(6);
    for (let i = 0; i < a.steps.length; i++) expect(Math.abs(a.steps[i] - b.steps[i]), `step ${i}`).toBeLessThanOrEqual(1e-4);
    expect(maxDiff(single.getWeights(), parallel.getWeights())).toBeLessThanOrEqual(1e-4);
    expect(parallel.compiled!.optimizer.iterations).toBe(single.compiled!.optimizer.iterations);
    // Same slots too (exact resume depends on them).
    const sa = single.compiled!.optimizer.getState().slots;
    const sb = parallel.compiled!.optimizer.getState().slots;
    expect([...sb.keys()].sort()).toEqual([...sa.keys()].sort());
    expect(maxDiff(sa, sb)).toBeLessThanOrEqual(1e-4);
    // Both replicas applied the same updates: bit-identical to the model after end().
    const model = new Map([...parallel.getWeights()].map(([k, t]) => [k, t.dataSync() as Float32Array]));
    expect(maxDiff(model, await engine.workerWeights(0))).toBe(0);
    expect(maxDiff(model, await engine.workerWeights(1))).toBe(0);
    tf.dispose([x, y, ...sa.values(), ...sb.values()]);
    single.dispose();
    parallel.dispose();
  });

  it('small Dense model, Adam, softmax with class weights: the same losses, metrics and weights as single-instance fit (batch 4, last batch 1)', async () => {
    const n = 9;
    const x = tf.tensor2d(values(n * 4, 11), [n, 4]);
    const y = tf.tensor1d([0, 1, 2, 2, 1, 0, 1, 2, 0], 'int32');
    const build = () =>
      new Sequential({ inputShape: [4], seed: 4, layers: [new Dense({ units: 8, activation: 'relu' }), new Dense({ units: 3, activation: 'softmax' })] });
    const compile: CompileArgs = { optimizer: { className: 'Adam', config: { learningRate: 0.01 } }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };
    const single = build();
    single.compile(compile);
    const parallel = build();
    const engine = await trainer(parallel, compile);
    const options: FitOptions = { epochs: 3, batchSize: 4, classWeight: { 0: 1, 1: 2.5, 2: 0.5 } };
    const a = await fitRecording(single, [x, y], options);
    const b = await fitRecording(parallel, [x, y], { ...options, engine });
    for (let i = 0; i < a.steps.length; i++) expect(Math.abs(a.steps[i] - b.steps[i]), `step ${i}`).toBeLessThanOrEqual(1e-4);
    expect(single.history!.history.accuracy).toEqual(parallel.history!.history.accuracy);
    expect(maxDiff(single.getWeights(), parallel.getWeights())).toBeLessThanOrEqual(1e-4);
    // Once the optimizer's slots exist, more epochs leave no tensor behind on this thread.
    const tensors = tf.memory().numTensors;
    await parallel.fit([x, y], { ...options, verbose: 0, engine });
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([x, y]);
    single.dispose();
    parallel.dispose();
  });

  it('BatchNormalization: per-shard statistics, moving statistics the shard-size-weighted average of the replicas (hand-computed, one step)', async () => {
    const n = 5;
    const features = 3;
    const raw = values(n * features, 21).map((v, i) => v * (1 + (i % features)) + (i < 9 ? 2 : -1));
    const model = new Sequential({ inputShape: [features], seed: 6, layers: [new BatchNormalization({ momentum: 0.9 }), new Dense({ units: 1, activation: 'sigmoid' })] });
    const engine = await trainer(model, { optimizer: 'sgd', loss: 'binary_crossentropy' });
    const x = tf.tensor2d(raw, [n, features]);
    const y = tf.tensor2d([1, 0, 1, 1, 0], [n, 1]);
    await model.fit([x, y], { epochs: 1, batchSize: n, shuffle: false, verbose: 0, engine });
    // Shards: rows 0-2 (worker 1) and rows 3-4 (worker 2).
    const stats = (rows: number[], f: number) => {
      const v = rows.map((r) => raw[r * features + f]);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
    };
    const expectedMean: number[] = [];
    const expectedVariance: number[] = [];
    const fullBatchVariance: number[] = [];
    for (let f = 0; f < features; f++) {
      const a = stats([0, 1, 2], f);
      const b = stats([3, 4], f);
      expectedMean.push(0.9 * 0 + 0.1 * ((3 * a.mean + 2 * b.mean) / 5));
      expectedVariance.push(0.9 * 1 + 0.1 * ((3 * a.variance + 2 * b.variance) / 5));
      fullBatchVariance.push(0.9 * 1 + 0.1 * stats([0, 1, 2, 3, 4], f).variance);
    }
    const weights = model.getWeights();
    const mean = Array.from(weights.get('batch_normalization/moving_mean')!.dataSync());
    const variance = Array.from(weights.get('batch_normalization/moving_variance')!.dataSync());
    for (let f = 0; f < features; f++) {
      expect(Math.abs(mean[f] - expectedMean[f]), `moving_mean[${f}]`).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(variance[f] - expectedVariance[f]), `moving_variance[${f}]`).toBeLessThanOrEqual(1e-5);
      // The documented difference from one instance: no spread between the shard means.
      expect(Math.abs(variance[f] - fullBatchVariance[f])).toBeGreaterThan(1e-3);
    }
    // The replicas agree on the averaged statistics.
    const replica = await engine.workerWeights(1);
    expect(Array.from(replica.get('batch_normalization/moving_mean')!)).toEqual(mean);
    tf.dispose([x, y, ...weights.values()]);
    model.dispose();
  });

  it('Dropout: reproducible for a fixed worker count; checkpoint + resume gives the weights of an uninterrupted run', async () => {
    const n = 10;
    const x = tf.tensor2d(values(n * 6, 31), [n, 6]);
    const y = tf.tensor2d([1, 0, 0, 1, 1, 0, 1, 0, 0, 1], [n, 1]);
    const build = () =>
      new Sequential({
        inputShape: [6],
        seed: 8,
        layers: [new Dense({ units: 16, activation: 'relu' }), new Dropout({ rate: 0.4 }), new Dense({ units: 1, activation: 'sigmoid' })],
      });
    const compile: CompileArgs = { optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] };
    const options: FitOptions = { epochs: 4, batchSize: 3, verbose: 0 };

    const straight = build();
    await straight.fit([x, y], { ...options, engine: await trainer(straight, compile) });
    const again = build();
    await again.fit([x, y], { ...options, engine: await trainer(again, compile) });
    expect(maxDiff(straight.getWeights(), again.getWeights())).toBe(0);

    // Interrupted after epoch 2 (checkpoint), resumed in a new model with new workers.
    const first = build();
    await first.fit([x, y], {
      ...options,
      epochs: 2,
      engine: await trainer(first, compile),
      callbacks: [{ onEpochEnd: (epoch: number) => saveCheckpoint(first, join(fixture.dir(), `epoch-${epoch + 1}`), { epoch: epoch + 1 }) }],
    });
    const { model: resumed, epoch } = await loadCheckpoint(join(fixture.dir(), 'epoch-2'));
    expect(epoch).toBe(2);
    await resumed.fit([x, y], { ...options, initialEpoch: epoch, engine: await trainer(resumed) });
    expect(maxDiff(straight.getWeights(), resumed.getWeights())).toBe(0);
    expect(resumed.compiled!.optimizer.iterations).toBe(straight.compiled!.optimizer.iterations);
    tf.dispose([x, y]);
    for (const m of [straight, again, first, resumed]) m.dispose();
  });

  it('an error inside a worker step rejects fit with one line naming the worker, and every worker thread ends', async () => {
    const model = new Sequential({ inputShape: [4], seed: 1, layers: [new Dense({ units: 1, activation: 'sigmoid' })] });
    const engine = await trainer(model, { optimizer: 'sgd', loss: 'binary_crossentropy' });
    // Inputs of the wrong width: only the workers' forward pass sees them.
    const x = tf.zeros([6, 5]);
    const y = tf.zeros([6, 1]);
    const error = await model.fit([x, y], { epochs: 1, batchSize: 6, verbose: 0, engine }).then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message.split('\n')).toHaveLength(1);
    expect(error!.message).toMatch(/^data-parallel wasm x2: worker [12] of 2 failed in step 1 of the epoch: .*expected input .* of shape \(None, 4\), received \(3, 5\)$/);
    await engine.stopped();
    expect(engine.liveWorkers).toBe(0);
    await expect(engine.step([x], [y])).rejects.toThrow(error!.message);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a worker that dies mid-step (its thread exits) fails the step with one line, and the other worker is terminated', async () => {
    // A layer that is the identity on the main thread, and ends its worker thread when training there.
    class ExitOnTrain extends Layer {
      readonly className = 'ExitOnTrain';
      constructor(args: LayerArgs = {}) {
        super(args);
      }
      computeOutputShape(shapes: readonly Shape[]): Shape {
        return shapes[0];
      }
      call([x]: readonly tf.Tensor[]): tf.Tensor {
        return x;
      }
      getConfig(): Record<string, unknown> {
        return this.baseConfig();
      }
    }
    const layers = new URL('../../dist/index.js', import.meta.url).href;
    const layerModule = join(fixture.dir(), 'exit-on-train.mjs');
    await writeFile(
      layerModule,
      `import { Layer, registerLayerClass } from ${JSON.stringify(layers)};
class ExitOnTrain extends Layer {
  className = 'ExitOnTrain';
  computeOutputShape(shapes) { return shapes[0]; }
  call([x], ctx) { if (ctx.training) process.exit(3); return x; }
  getConfig() { return this.baseConfig(); }
}
export function register() { registerLayerClass('ExitOnTrain', (config) => new ExitOnTrain(config)); }
`,
    );
    const model = new Sequential({ inputShape: [4], seed: 1, layers: [new ExitOnTrain(), new Dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    const engine = fixture.track(await createDataParallelTrainer(model, undefined, { backend: wasmBackend(), workers: 2, setup: [{ module: pathToFileURL(layerModule).href, call: 'register' }] }));
    const x = tf.zeros([4, 4]);
    const y = tf.zeros([4, 1]);
    const error = await model.fit([x, y], { epochs: 1, batchSize: 4, verbose: 0, engine }).then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message.split('\n')).toHaveLength(1);
    expect(error!.message).toMatch(/worker [12] of 2 failed in step 1 of the epoch: exited with code 3$/);
    await engine.stopped();
    expect(engine.liveWorkers).toBe(0);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a process that trains with the engine and never disposes it still exits', async () => {
    const url = (p: string) => JSON.stringify(pathToFileURL(p).href);
    const script = join(fixture.dir(), 'no-dispose.mjs');
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    await writeFile(
      script,
      `import { defaultRegistry, selectBackend, tf } from ${url(join(root, 'tensor-core', 'dist', 'index.js'))};
import { wasmBackend } from ${url(join(root, 'backend-wasm', 'dist', 'index.js'))};
import { Dense, Sequential, createDataParallelTrainer } from ${url(join(root, 'layers', 'dist', 'index.js'))};
defaultRegistry.add(wasmBackend());
await selectBackend({ name: 'wasm' });
const model = new Sequential({ inputShape: [2], layers: [new Dense({ units: 1, activation: 'sigmoid' })] });
const engine = await createDataParallelTrainer(model, { loss: 'binary_crossentropy' }, { backend: wasmBackend(), workers: 2 });
await model.fit([tf.ones([5, 2]), tf.ones([5, 1])], { epochs: 2, batchSize: 2, verbose: 0, engine });
console.log('trained');
`,
    );
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [script], { timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : child.exitCode, stdout, stderr }));
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('trained');
    expect(result.code).toBe(0);
  });
});
