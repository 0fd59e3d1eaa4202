import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../models/sequential.js';
import { useTestBackend } from '../test-utils/setup.js';
import { initialBest, isImprovement } from './callback.js';
import { EarlyStopping } from './early-stopping.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';

// Which way a monitored value improves, shared by EarlyStopping, ReduceLROnPlateau and
// ModelCheckpoint's best-only mode. Every trace below has a monitor that goes the
// "good" way, then stalls, with patience > 0, so a callback that reads the direction
// backwards stops, reduces or saves at a different epoch. Expected epochs are worked
// out by hand from Keras's rules (keras/src/callbacks/early_stopping.py etc.).

let dir: string;
beforeAll(async () => {
  await useTestBackend();
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-monitor-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function tiny() {
  const m = new Sequential({ inputShape: [2], layers: [new Dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: { className: 'SGD', config: { learningRate: 0.1 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('isImprovement and initialBest (Keras mode rules)', () => {
  it.each([
    // mode, monitor, current, best, minDelta, improved
    ['auto', 'val_accuracy', 0.7, 0.6, 0, true],
    ['auto', 'val_accuracy', 0.6, 0.7, 0, false],
    ['auto', 'acc', 0.61, 0.6, 0, true],
    ['auto', 'val_auc', 0.9, 0.8, 0, true],
    ['auto', 'precision', 0.9, 0.8, 0, true],
    ['auto', 'val_recall', 0.8, 0.9, 0, false],
    ['auto', 'val_loss', 0.4, 0.5, 0, true],
    ['auto', 'val_loss', 0.5, 0.4, 0, false],
    ['auto', 'mean_squared_error', 0.4, 0.5, 0, true],
    // minDelta: the change must exceed it, in the monitor's direction.
    ['auto', 'val_accuracy', 0.7, 0.6, 0.2, false],
    ['auto', 'val_accuracy', 0.7, 0.6, 0.05, true],
    ['auto', 'val_loss', 0.4, 0.5, 0.2, false],
    ['auto', 'val_loss', 0.4, 0.5, 0.05, true],
    // equal is not better
    ['auto', 'val_accuracy', 0.6, 0.6, 0, false],
    ['auto', 'val_loss', 0.6, 0.6, 0, false],
    // an explicit mode overrides the name
    ['max', 'val_loss', 0.6, 0.5, 0, true],
    ['min', 'val_accuracy', 0.5, 0.6, 0, true],
    ['min', 'val_accuracy', 0.7, 0.6, 0, false],
  ] as const)('%s %s: %d vs best %d (minDelta %d) -> %s', (mode, monitor, current, best, minDelta, improved) => {
    expect(isImprovement(mode, monitor, current, best, minDelta)).toBe(improved);
  });
  it.each([
    ['auto', 'val_accuracy', Number.NEGATIVE_INFINITY],
    ['auto', 'auc', Number.NEGATIVE_INFINITY],
    ['auto', 'val_loss', Number.POSITIVE_INFINITY],
    ['max', 'loss', Number.NEGATIVE_INFINITY],
    ['min', 'accuracy', Number.POSITIVE_INFINITY],
  ] as const)('initialBest(%s, %s) = %d', (mode, monitor, best) => {
    expect(initialBest(mode, monitor)).toBe(best);
  });
});

describe('EarlyStopping follows the monitor direction, with patience', () => {
  it.each([
    // Rising accuracy: best 0.7 at epoch 2; epochs 3, 4 do not beat it; patience 2 -> stop at 4.
    // (Read as "lower is better", 0.5 at epoch 0 would stay best and it would stop at 2.)
    { monitor: 'val_accuracy', trace: [0.5, 0.6, 0.7, 0.65, 0.69, 0.8], bestEpoch: 2, best: 0.7, stoppedEpoch: 4 },
    // Falling loss: best 0.6 at epoch 2; patience 2 -> stop at 4 (higher-is-better would stop at 2).
    { monitor: 'val_loss', trace: [1.0, 0.8, 0.6, 0.7, 0.65, 0.1], bestEpoch: 2, best: 0.6, stoppedEpoch: 4 },
    // Keeps improving: never stops.
    { monitor: 'val_auc', trace: [0.5, 0.6, 0.7, 0.8], bestEpoch: 3, best: 0.8, stoppedEpoch: null },
    { monitor: 'loss', trace: [0.9, 0.8, 0.7, 0.6], bestEpoch: 3, best: 0.6, stoppedEpoch: null },
  ])('$monitor', ({ monitor, trace, bestEpoch, best, stoppedEpoch }) => {
    const model = tiny();
    const es = new EarlyStopping({ monitor, patience: 2 });
    es.setModel(model);
    es.onTrainBegin();
    for (const [epoch, value] of trace.entries()) {
      es.onEpochEnd(epoch, { [monitor]: value });
      if (model.stopTraining) break;
    }
    expect(es.bestEpoch).toBe(bestEpoch);
    expect(es.best).toBe(best);
    expect(es.stoppedEpoch).toBe(stoppedEpoch);
  });
});

describe('ReduceLROnPlateau follows the monitor direction, with patience', () => {
  it.each([
    // Accuracy rises to 0.7 (epoch 2) then stalls; patience 2, factor 0.5 -> halved at epoch 4.
    // minDelta 1e-4 (the default), so 0.7 -> 0.7 is no improvement.
    { monitor: 'val_accuracy', trace: [0.5, 0.6, 0.7, 0.7, 0.68, 0.69], rates: [0.1, 0.1, 0.1, 0.1, 0.05, 0.05] },
    // Loss falls to 0.5 (epoch 2) then stalls -> halved at epoch 4.
    { monitor: 'val_loss', trace: [0.9, 0.7, 0.5, 0.5, 0.52, 0.51], rates: [0.1, 0.1, 0.1, 0.1, 0.05, 0.05] },
  ])('$monitor', ({ monitor, trace, rates }) => {
    const model = tiny();
    const cb = new ReduceLROnPlateau({ monitor, factor: 0.5, patience: 2 });
    cb.setModel(model);
    cb.onTrainBegin();
    const seen: number[] = [];
    for (const [epoch, value] of trace.entries()) {
      const logs: Record<string, number> = { [monitor]: value };
      cb.onEpochEnd(epoch, logs);
      seen.push(logs.learning_rate);
    }
    expect(seen).toEqual(rates);
  });
});

describe('ModelCheckpoint saveBestOnly follows the monitor direction', () => {
  it.each([
    // Saved when the value beats every earlier one: epochs 0, 2, 4 (named from 1: 001, 003, 005).
    { monitor: 'val_accuracy', trace: [0.5, 0.4, 0.6, 0.6, 0.8], saved: ['001', '003', '005'] },
    { monitor: 'val_loss', trace: [0.5, 0.6, 0.4, 0.4, 0.2], saved: ['001', '003', '005'] },
  ])('$monitor', async ({ monitor, trace, saved }) => {
    const model = tiny();
    const path = join(dir, monitor, 'e{epoch:03d}');
    const cb = new ModelCheckpoint({ path, monitor, saveBestOnly: true });
    cb.setModel(model);
    cb.onTrainBegin();
    for (const [epoch, value] of trace.entries()) await cb.onEpochEnd(epoch, { [monitor]: value });
    expect(cb.written).toEqual(saved.map((e) => join(dir, monitor, `e${e}`)));
  });
});
