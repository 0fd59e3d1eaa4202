import { tf } from '@cnnkit/tensor-core';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../models/sequential.js';
import { useTestBackend } from '../test-utils/setup.js';
import { EarlyStopping } from './early-stopping.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';
import { ProgressLogger } from './progress-logger.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';

beforeAll(useTestBackend);

function tiny() {
  const m = new Sequential({ inputShape: [2], layers: [new Dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: { className: 'SGD', config: { learningRate: 0.1 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights (Keras rule)', () => {
    const model = tiny();
    const es = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    es.setModel(model);
    es.onTrainBegin();
    const kernel = () => model.namedWeights()[0].variable;
    const losses = [1.0, 0.8, 0.85, 0.9, 0.7];
    for (const [epoch, loss] of losses.entries()) {
      kernel().assign(tf.fill([2, 1], epoch));
      es.onEpochEnd(epoch, { loss: 1, val_loss: loss });
      if (model.stopTraining) break;
    }
    expect(es.stoppedEpoch).toBe(3);
    expect(es.bestEpoch).toBe(1);
    expect(es.best).toBe(0.8);
    expect(Array.from(kernel().dataSync())).toEqual([1, 1]);
    es.onTrainEnd();
  });
  it('honours minDelta and mode, and names the missing monitor', () => {
    const model = tiny();
    const es = new EarlyStopping({ monitor: 'val_accuracy', minDelta: 0.05, patience: 1 });
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { val_accuracy: 0.5 });
    es.onEpochEnd(1, { val_accuracy: 0.52 }); // +0.02 < minDelta: no improvement
    expect(model.stopTraining).toBe(true);
    expect(() => new EarlyStopping({ monitor: 'val_auc' }).onEpochEnd(0, { loss: 1 })).toThrow(/monitor "val_auc" is not in the logs; available: loss/);
  });
  it('ends fit early', async () => {
    const model = tiny();
    const x = tf.tensor2d([[0, 0], [1, 1]]);
    const y = tf.tensor2d([[0], [1]]);
    const h = await model.fit([x, y], { epochs: 20, verbose: 0, callbacks: [new EarlyStopping({ monitor: 'loss', patience: 0, minDelta: 10 })] });
    expect(h.epoch).toEqual([0, 1]);
  });
});

describe('learning-rate callbacks', () => {
  it('ReduceLROnPlateau multiplies the rate after `patience` flat epochs, then cools down', () => {
    const model = tiny();
    const cb = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02 });
    cb.setModel(model);
    cb.onTrainBegin();
    const rates: number[] = [];
    for (const [epoch, loss] of [1, 1, 1, 1, 1, 1, 1, 1].entries()) {
      const logs: Record<string, number> = { loss };
      cb.onEpochEnd(epoch, logs);
      rates.push(logs.learning_rate);
    }
    // Keras's trace: reduce at epochs 2, 4, 6 (the cooldown epoch still counts once it ends), floor at minLr.
    expect(rates).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]);
  });
  it('LearningRateScheduler sets the rate per epoch and fit logs it', async () => {
    const model = tiny();
    const x = tf.tensor2d([[0, 0], [1, 1]]);
    const y = tf.tensor2d([[0], [1]]);
    const h = await model.fit([x, y], { epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler((epoch) => 0.1 / (epoch + 1))] });
    expect(h.history.learning_rate).toEqual([0.1, 0.05, 0.1 / 3]);
    expect(() => new LearningRateScheduler(() => Number.NaN).onEpochBegin(0)).toThrow();
  });
});

describe('ProgressLogger', () => {
  it('writes an Epoch line and a Keras-like bar with steps, time per step, loss and metrics', async () => {
    const model = tiny();
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (d) => (out += d.toString()));
    const x = tf.tensor2d([[0, 0], [1, 1], [1, 0], [0, 1]]);
    const y = tf.tensor2d([[0], [1], [1], [0]]);
    await model.fit([x, y], { epochs: 2, batchSize: 1, validationData: [x, y], verbose: 1, progressStream: stream });
    expect(out).toContain('Epoch 1/2\n');
    expect(out).toContain('Epoch 2/2\n');
    expect(out).toMatch(/4\/4 ━{20} \d+s \d+ms\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}/);
    // Off a terminal: one plain line per epoch, no cursor escape codes.
    expect(out).not.toContain('\x1B[');
    expect(out.trim().split('\n')).toHaveLength(4);
  });
  it('draws a live bar with cli-progress on a terminal', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let out = '';
    stream.on('data', (d) => (out += d.toString()));
    const logger = new ProgressLogger({ stream });
    logger.onTrainBegin({ epochs: 1 });
    logger.onEpochBegin(0, { steps: 4 });
    for (let s = 1; s <= 4; s++) logger.onBatchEnd(s, { loss: 1 / s });
    logger.onEpochEnd(0, { loss: 0.25, val_loss: 0.5 });
    expect(out).toContain('\x1B['); // redrawn in place
    expect(out).toMatch(/4\/4 ━{20} \d+s \d+ms\/step - loss: 0\.2500 - val_loss: 0\.5000/);
  });
  it('shows Unknown for sources of unknown length until the epoch ends', () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (d) => (out += d.toString()));
    const logger = new ProgressLogger({ stream });
    logger.onTrainBegin({ epochs: 1 });
    logger.onEpochBegin(0, { steps: null });
    logger.onBatchEnd(1, { loss: 0.5 });
    logger.onBatchEnd(2, { loss: 0.25 });
    logger.onEpochEnd(0, { loss: 0.25 });
    expect(out).toMatch(/2\/2 ━{20} \d+s \d+ms\/step - loss: 0\.2500/);
  });
});
