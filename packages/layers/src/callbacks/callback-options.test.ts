import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@cnnkit/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../models/sequential.js';
import { useTestBackend } from '../test-utils/setup.js';
import { EarlyStopping } from './early-stopping.js';
import { History } from './history.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';

// The callbacks' defaults, argument checks and edge epochs, each against Keras's
// documented default or rule (keras/src/callbacks/*.py), worked out by hand.

let dir: string;
beforeAll(async () => {
  await useTestBackend();
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-callback-options-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function tiny(learningRate = 0.1) {
  const m = new Sequential({ inputShape: [2], layers: [new Dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: { className: 'SGD', config: { learningRate } }, loss: 'binary_crossentropy' });
  return m;
}
const kernelOf = (m: Sequential) => m.namedWeights()[0].variable;

describe('EarlyStopping', () => {
  it('defaults: monitor val_loss, mode auto (min for a loss), minDelta 0, patience 0, no restore, start at epoch 0', () => {
    const es = new EarlyStopping();
    expect([es.monitor, es.mode, es.minDelta, es.patience, es.restoreBestWeights, es.startFromEpoch]).toEqual(['val_loss', 'auto', 0, 0, false, 0]);
    expect(new EarlyStopping({ minDelta: -0.5 }).minDelta).toBe(0.5);
    // patience 0: the first epoch without improvement stops; the weights are left as they are.
    const model = tiny();
    es.setModel(model);
    es.onTrainBegin();
    kernelOf(model).assign(tf.fill([2, 1], 1));
    es.onEpochEnd(0, { val_loss: 0.5 });
    kernelOf(model).assign(tf.fill([2, 1], 2));
    es.onEpochEnd(1, { val_loss: 0.6 });
    expect(es.stoppedEpoch).toBe(1);
    expect(Array.from(kernelOf(model).dataSync())).toEqual([2, 2]);
    es.onTrainEnd();
  });
  it('ignores the epochs before startFromEpoch', () => {
    const model = tiny();
    const es = new EarlyStopping({ monitor: 'loss', startFromEpoch: 2 });
    es.setModel(model);
    es.onTrainBegin();
    // epochs 0 and 1 would stop it (rising loss) if they counted
    for (const [epoch, loss] of [0.5, 0.9, 0.8, 0.7].entries()) es.onEpochEnd(epoch, { loss });
    expect(es.stoppedEpoch).toBeNull();
    expect(es.bestEpoch).toBe(3);
  });
  it('never stops at epoch 0, even when epoch 0 is no improvement (an infinite loss)', () => {
    const model = tiny();
    const es = new EarlyStopping({ monitor: 'loss' });
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: Number.POSITIVE_INFINITY });
    expect(model.stopTraining).toBe(false);
  });
  it('keeps no copies of the weights unless restoring, and releases its copy at the end or on an abort', () => {
    for (const end of ['onTrainEnd', 'onTrainAbort'] as const) {
      const model = tiny();
      const before = tf.memory().numTensors;
      const es = new EarlyStopping({ monitor: 'loss', restoreBestWeights: true, patience: 5 });
      es.setModel(model);
      es.onTrainBegin();
      es.onEpochEnd(0, { loss: 1 });
      es.onEpochEnd(1, { loss: 0.5 });
      expect(tf.memory().numTensors).toBe(before + 2); // kernel and bias of the best epoch
      es[end]();
      expect(tf.memory().numTensors).toBe(before);
    }
    const model = tiny();
    const before = tf.memory().numTensors;
    const plain = new EarlyStopping({ monitor: 'loss' });
    plain.setModel(model);
    plain.onTrainBegin();
    plain.onEpochEnd(0, { loss: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
  it('names a missing monitor and what the logs hold', () => {
    expect(() => new EarlyStopping({ monitor: 'val_auc' }).onEpochEnd(0, { loss: 1, accuracy: 0.5 })).toThrow('EarlyStopping: monitor "val_auc" is not in the logs; available: loss, accuracy');
  });
});

describe('ReduceLROnPlateau', () => {
  it('defaults: monitor val_loss, factor 0.1, patience 10, mode auto, minDelta 1e-4, cooldown 0, minLr 0', () => {
    const cb = new ReduceLROnPlateau();
    expect([cb.monitor, cb.factor, cb.patience, cb.mode, cb.minDelta, cb.cooldown, cb.minLr]).toEqual(['val_loss', 0.1, 10, 'auto', 1e-4, 0, 0]);
  });
  it.each([[1], [1.5], [-0.1], [Number.NaN]])('rejects factor %d (Keras: factor must be < 1)', (factor) => {
    expect(() => new ReduceLROnPlateau({ factor })).toThrow(`ReduceLROnPlateau: expected factor in [0, 1), received ${factor}`);
  });
  it('accepts factor 0 (the rate drops to minLr)', () => {
    const model = tiny();
    const cb = new ReduceLROnPlateau({ monitor: 'loss', factor: 0, patience: 1, minLr: 0.01 });
    cb.setModel(model);
    cb.onTrainBegin();
    const rates = [1, 1].map((loss, epoch) => {
      const logs: Record<string, number> = { loss };
      cb.onEpochEnd(epoch, logs);
      return logs.learning_rate;
    });
    expect(rates).toEqual([0.1, 0.01]);
  });
  it('does not count epochs during the cooldown (cooldown 2, patience 1)', () => {
    const model = tiny();
    const cb = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, cooldown: 2 });
    cb.setModel(model);
    cb.onTrainBegin();
    const rates = [1, 1, 1, 1, 1, 1].map((loss, epoch) => {
      const logs: Record<string, number> = { loss };
      cb.onEpochEnd(epoch, logs);
      return logs.learning_rate;
    });
    // Keras: reduce at epoch 1 (cooldown 2); epoch 2 cools down and is not counted; at
    // epoch 3 the counter reaches 0 first, so it counts and reduces; epoch 4 cools, 5 reduces.
    expect(rates).toEqual([0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]);
  });
  it('never raises a rate that is already below minLr', () => {
    const model = tiny(0.01);
    const cb = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, minLr: 0.02 });
    cb.setModel(model);
    cb.onTrainBegin();
    const rates = [1, 1, 1].map((loss, epoch) => {
      const logs: Record<string, number> = { loss };
      cb.onEpochEnd(epoch, logs);
      return logs.learning_rate;
    });
    expect(rates).toEqual([0.01, 0.01, 0.01]);
  });
  it('names a missing monitor and what the logs hold', () => {
    const cb = new ReduceLROnPlateau();
    cb.setModel(tiny());
    cb.onTrainBegin();
    const error = (() => {
      try {
        cb.onEpochEnd(0, { loss: 1, accuracy: 0.5 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'UNKNOWN_MONITOR', message: 'ReduceLROnPlateau: monitor "val_loss" is not in the logs; available: loss, accuracy' });
  });
});

describe('LearningRateScheduler', () => {
  it.each([[-0.1], [Number.NaN], [Number.POSITIVE_INFINITY], ['0.1']])('rejects a schedule that returns %j', (rate) => {
    const model = tiny();
    const cb = new LearningRateScheduler(() => rate as number);
    cb.setModel(model);
    expect(() => cb.onEpochBegin(3)).toThrow(`LearningRateScheduler: the schedule returned ${rate} for epoch 3; expected a finite number >= 0`);
  });
  it('accepts 0 and passes the epoch and current rate to the schedule', () => {
    const model = tiny(0.2);
    const seen: number[][] = [];
    const cb = new LearningRateScheduler((epoch, rate) => {
      seen.push([epoch, rate]);
      return 0;
    });
    cb.setModel(model);
    cb.onEpochBegin(4);
    expect(seen).toEqual([[4, 0.2]]);
    expect(model.compiled!.optimizer.learningRate).toBe(0);
  });
});

describe('ModelCheckpoint', () => {
  it.each([[undefined], [{}], [{ path: '' }], [{ path: 3 }]])('rejects options %j without a path', (options) => {
    expect(() => new ModelCheckpoint(options as never)).toThrow('ModelCheckpoint: expected a "path" (directory, may contain {epoch})');
  });
  it('defaults: monitor val_loss, mode auto, saves every epoch', async () => {
    const cb = new ModelCheckpoint({ path: join(dir, 'every', 'e{epoch:03d}') });
    expect([cb.monitor, cb.mode, cb.saveBestOnly]).toEqual(['val_loss', 'auto', false]);
    cb.setModel(tiny());
    cb.onTrainBegin();
    for (const [epoch, loss] of [0.5, 0.9].entries()) await cb.onEpochEnd(epoch, { loss });
    expect(cb.written).toEqual([join(dir, 'every', 'e001'), join(dir, 'every', 'e002')]);
  });
  it('best-only: names a missing monitor, and onTrainBegin resets the best', async () => {
    const cb = new ModelCheckpoint({ path: join(dir, 'best', 'e{epoch:03d}'), saveBestOnly: true });
    cb.setModel(tiny());
    cb.onTrainBegin();
    await expect(cb.onEpochEnd(0, { loss: 1 })).rejects.toThrow('ModelCheckpoint: monitor "val_loss" is not in the logs; available: loss');
    await cb.onEpochEnd(0, { val_loss: 0.2 });
    cb.onTrainBegin();
    // A second training run starts from scratch: 0.5 is a new best although 0.2 was lower.
    await cb.onEpochEnd(1, { val_loss: 0.5 });
    expect(cb.written).toEqual([join(dir, 'best', 'e001'), join(dir, 'best', 'e002')]);
  });
});

describe('History', () => {
  it('records epochs and logs and serialises a copy', () => {
    const h = new History();
    h.onEpochEnd(0, { loss: 1, accuracy: 0.5 });
    h.onEpochEnd(1, { loss: 0.5, accuracy: 0.75 });
    const json = h.toJSON();
    expect(json).toEqual({ epoch: [0, 1], history: { loss: [1, 0.5], accuracy: [0.5, 0.75] } });
    json.epoch.push(2);
    json.history.loss.push(0);
    expect(h.epoch).toEqual([0, 1]);
    expect(h.history.loss).toEqual([1, 0.5]);
  });
});
