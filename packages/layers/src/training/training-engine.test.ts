import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../models/sequential.js';
import type { Logs } from '../callbacks/callback.js';
import type { EngineStepResult, TrainingEngine } from './training-engine.js';
import { useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

/** An engine that records its calls, returns a fixed loss and fixed probabilities, and sets a known weight at `end`. */
class RecordingEngine implements TrainingEngine {
  readonly name = 'recording';
  readonly calls: string[] = [];
  constructor(private readonly model: Sequential) {}
  begin(): void {
    this.calls.push('begin');
  }
  async step(xs: readonly tf.Tensor[]): Promise<EngineStepResult> {
    const n = xs[0].shape[0]!;
    this.calls.push(`step ${n}`);
    // Examples 0, 2, 4... predicted class 1, the others class 0.
    return { loss: n, predictions: [Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0.9 : 0.1))] };
  }
  end(): void {
    this.calls.push('end');
    const w = this.model.getWeights();
    const next = new Map([...w].map(([k, t]) => [k, tf.fill(t.shape, 0.5)] as const));
    this.model.setWeights(next);
    for (const t of [...w.values(), ...next.values()]) t.dispose();
  }
}

describe('fit({ engine })', () => {
  it('runs every step on the engine, averages its losses by batch size, computes metrics from its predictions, and syncs weights at epoch end before callbacks', async () => {
    const model = new Sequential({ inputShape: [2], seed: 1, layers: [new Dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const engine = new RecordingEngine(model);
    const x = tf.tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    const y = tf.tensor([[1], [0], [0], [0], [1]]);
    const seenAtEpochEnd: number[] = [];
    const before = model.getWeights().get('dense/kernel')!.dataSync()[0];
    const history = await model.fit([x, y], {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      engine,
      callbacks: [{ onEpochEnd: (_e: number, _l: Logs) => void seenAtEpochEnd.push(model.getWeights().get('dense/kernel')!.dataSync()[0]) }],
    });
    expect(engine.calls).toEqual(['begin', 'step 2', 'step 2', 'step 1', 'end', 'begin', 'step 2', 'step 2', 'step 1', 'end']);
    // Batch losses 2, 2, 1 weighted by sizes 2, 2, 1: (4 + 4 + 1) / 5.
    expect(history.history.loss[0]).toBeCloseTo(9 / 5, 6);
    // Predicted classes 1,0 | 1,0 | 1 vs labels 1,0 | 0,0 | 1: 4 of 5 right.
    expect(history.history.accuracy[0]).toBeCloseTo(4 / 5, 6);
    // The layers engine did not step (the weights only change through the engine's end()).
    expect(before).not.toBe(0.5);
    expect(seenAtEpochEnd).toEqual([0.5, 0.5]);
    x.dispose();
    y.dispose();
  });
});

describe('fit({ engine }) reads one batch ahead', () => {
  function setup(failAt: number | null) {
    const log: string[] = [];
    const made: tf.Tensor[] = [];
    let closed = false;
    const model = new Sequential({ inputShape: [2], seed: 1, layers: [new Dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    const engine: TrainingEngine = {
      name: 'slow',
      begin: () => {},
      end: () => {},
      async step(xs) {
        const k = xs[0].dataSync()[0];
        log.push(`step ${k} starts`);
        await new Promise((r) => setTimeout(r, 20));
        log.push(`step ${k} ends`);
        if (k === failAt) throw new Error(`engine failed at ${k}`);
        return { loss: 0.5, predictions: [new Float32Array(1)] };
      },
    };
    async function* batches() {
      try {
        for (let k = 1; k <= 3; k++) {
          log.push(`batch ${k} read`);
          const batch = { xs: tf.fill([1, 2], k), ys: tf.zeros([1, 1]) };
          made.push(batch.xs, batch.ys);
          yield batch;
        }
      } finally {
        closed = true;
      }
    }
    return { log, made, model, engine, batches, isClosed: () => closed };
  }

  it('reads the next batch while the engine computes the current one', async () => {
    const { log, made, model, engine, batches } = setup(null);
    await model.fit(() => batches(), { epochs: 1, verbose: 0, engine });
    expect(log).toEqual(['batch 1 read', 'step 1 starts', 'batch 2 read', 'step 1 ends', 'step 2 starts', 'batch 3 read', 'step 2 ends', 'step 3 starts', 'step 3 ends']);
    expect(made.every((t) => t.isDisposed)).toBe(true);
  });

  it('when a step fails: the error surfaces, the batch read ahead is disposed and the iterator closed', async () => {
    const { log, made, model, engine, batches, isClosed } = setup(2);
    await expect(model.fit(() => batches(), { epochs: 1, verbose: 0, engine })).rejects.toThrow('engine failed at 2');
    expect(log).toEqual(['batch 1 read', 'step 1 starts', 'batch 2 read', 'step 1 ends', 'step 2 starts', 'batch 3 read', 'step 2 ends']);
    expect(made).toHaveLength(6);
    expect(made.every((t) => t.isDisposed)).toBe(true);
    expect(isClosed()).toBe(true);
  });
});
