import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import type { EpochProgress } from './epoch-progress.js';
import { GlobalAveragePooling2D } from '../layers/global-pooling2d.js';
import { loadCheckpoint, saveCheckpoint } from '../io/checkpoint.js';
import type { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { useTestBackend, values } from '../test-utils/setup.js';
import type { Batch, FitOptions } from './trainer.js';

let dir: string;
beforeAll(async () => {
  await useTestBackend();
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-progress-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every source of run-to-run state: BN statistics, dropout streams, RMSprop slots, accuracy totals. */
function build(): Sequential {
  const m = new Sequential({
    inputShape: [5, 5, 2],
    seed: 11,
    layers: [
      new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }),
      new BatchNormalization(),
      new Dropout({ rate: 0.3 }),
      new GlobalAveragePooling2D(),
      new Dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: { className: 'RMSprop', config: { learningRate: 0.01 } }, loss: 'binary_crossentropy', metrics: ['accuracy', 'auc'] });
  return m;
}

const n = 14; // batch 3: steps 3, 3, 3, 3, 2 per epoch
const x = () => tf.tensor4d(values(n * 5 * 5 * 2, 5).map((v) => v * 50), [n, 5, 5, 2]);
const y = () => tf.tensor2d(values(n, 9).map((v) => (v > 0 ? 1 : 0)), [n, 1]);
const bits = (m: Model) => m.namedWeights().map((w) => [w.path, Array.from(new Uint32Array(Float32Array.from(w.variable.dataSync()).buffer))] as const);

/** Backups into `dir/name/...` (one folder per backup), stopping after `stopAt` = [epoch, step] when given. */
function backups(model: Model, name: string, stopAt?: [number, number]) {
  const saved: EpochProgress[] = [];
  const controller = new AbortController();
  const options: Partial<FitOptions> = {
    signal: controller.signal,
    backup: {
      everySteps: 2,
      async save(progress) {
        saved.push(progress);
        await saveCheckpoint(model, join(dir, name, `e${progress.epoch}-s${progress.step}`), { epoch: progress.epoch, progress, history: model.history?.history });
      },
    },
    callbacks: [
      {
        onEpochBegin: (epoch: number) => void (current = epoch),
        onBatchEnd: (step: number) => {
          if (stopAt !== undefined && current === stopAt[0] && step === stopAt[1]) controller.abort();
        },
      },
    ],
  };
  let current = 0;
  return { saved, options };
}

describe('fit inside an epoch: backups and resume', () => {
  it('backups every 2 steps change nothing; interrupted at epoch 2 step 3 and resumed, the weights and history are bit-identical to an uninterrupted run', async () => {
    const [xs, ys] = [x(), y()];
    const base: FitOptions = { epochs: 3, batchSize: 3, verbose: 0 };

    const straight = build();
    const straightHistory = await straight.fit([xs, ys], base);

    const backedUp = build();
    const b = backups(backedUp, 'every');
    await backedUp.fit([xs, ys], { ...base, ...b.options });
    expect(bits(backedUp)).toEqual(bits(straight));
    // Steps 2 and 4 of each 5-step epoch; never after the last step (the epoch's end saves instead).
    expect(b.saved.map((p) => [p.epoch, p.step])).toEqual([[0, 2], [0, 4], [1, 2], [1, 4], [2, 2], [2, 4]]);

    const stopped = build();
    const s = backups(stopped, 'stop', [1, 3]);
    const error = await stopped.fit([xs, ys], { ...base, ...s.options }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CnnkitError);
    expect((error as CnnkitError).code).toBe('INTERRUPTED');
    expect((error as Error).message).toBe('fit: stopped on request after epoch 2, step 3');
    // The stop writes a backup at step 3, which is no multiple of 2.
    const last = s.saved[s.saved.length - 1];
    expect([last.epoch, last.step, last.seen]).toEqual([1, 3, 9]);
    expect(await readdir(join(dir, 'stop'))).toContain('e1-s3');

    const { model: resumed, epoch, progress } = await loadCheckpoint(join(dir, 'stop', 'e1-s3'));
    expect([epoch, progress?.step]).toEqual([1, 3]);
    const resumedHistory = await resumed.fit([xs, ys], { ...base, initialEpoch: epoch, initialProgress: progress! });
    expect(bits(resumed)).toEqual(bits(straight));
    // The resumed epoch's loss and metrics average all of its batches, those before the stop included.
    expect(resumedHistory.history.loss).toEqual(straightHistory.history.loss.slice(1));
    expect(resumedHistory.history.auc).toEqual(straightHistory.history.auc.slice(1));
    expect(resumed.compiled!.optimizer.iterations).toBe(straight.compiled!.optimizer.iterations);
    tf.dispose([xs, ys]);
    for (const m of [straight, backedUp, stopped, resumed]) m.dispose();
  });

  it('a batch function taking (epoch, startStep) starts there itself; one taking (epoch) has its first batches read and dropped', async () => {
    const [xs, ys] = [x(), y()];
    const batches = (epoch: number, from = 0): Batch[] => {
      const out: Batch[] = [];
      for (let s = from; s < 5; s++) {
        const i = (s + epoch) % 5;
        out.push({ xs: tf.slice(xs, i * 2, 2), ys: tf.slice(ys, i * 2, 2) });
      }
      return out;
    };
    const straight = build();
    await straight.fit((epoch: number) => batches(epoch), { epochs: 2, verbose: 0 });

    const progressAt = async (): Promise<{ model: Sequential; progress: EpochProgress }> => {
      const m = build();
      const c = new AbortController();
      let progress: EpochProgress | null = null;
      await m
        .fit((epoch: number) => batches(epoch), {
          epochs: 2,
          verbose: 0,
          signal: c.signal,
          backup: { save: async (p) => void (progress = p) },
          callbacks: [{ onBatchEnd: (step: number) => void (m.history!.history.loss?.length === 1 && step === 2 ? c.abort() : undefined) }],
        })
        .catch((e: CnnkitError) => expect(e.code).toBe('INTERRUPTED'));
      await saveCheckpoint(m, join(dir, 'fn', 'ckpt'), { epoch: 1, progress: progress!, history: m.history!.history });
      m.dispose();
      const loaded = await loadCheckpoint(join(dir, 'fn', 'ckpt'));
      return { model: loaded.model as Sequential, progress: loaded.progress! };
    };

    const seen: number[] = [];
    const a = await progressAt();
    await a.model.fit((epoch: number, startStep: number) => (seen.push(startStep), batches(epoch, startStep)), { epochs: 2, initialEpoch: 1, initialProgress: a.progress, verbose: 0 });
    expect(seen).toEqual([2]);
    expect(bits(a.model)).toEqual(bits(straight));

    const b = await progressAt();
    await b.model.fit((epoch: number) => batches(epoch), { epochs: 2, initialEpoch: 1, initialProgress: b.progress, verbose: 0 });
    expect(bits(b.model)).toEqual(bits(straight));
    tf.dispose([xs, ys]);
    for (const m of [straight, a.model, b.model]) m.dispose();
  });

  it('rejects progress for another epoch than initialEpoch, naming both', async () => {
    const m = build();
    const progress: EpochProgress = { epoch: 2, step: 1, lossSum: 0.5, seen: 3, metrics: [[[0, 0], new Array(800).fill(0)]] };
    await expect(m.fit([x(), y()], { epochs: 3, initialEpoch: 1, initialProgress: progress, verbose: 0 })).rejects.toThrow(
      'fit: initialProgress is for epoch 2, but initialEpoch is 1; pass the epoch the checkpoint was written in',
    );
    m.dispose();
  });
});
