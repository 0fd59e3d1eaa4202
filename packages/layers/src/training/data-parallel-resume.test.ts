import { join } from 'node:path';
import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import type { EpochProgress } from './epoch-progress.js';
import { loadCheckpoint, saveCheckpoint } from '../io/checkpoint.js';
import type { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { dataParallelFixture, skipDataParallel } from '../test-utils/data-parallel-fixture.js';
import { values } from '../test-utils/setup.js';
import type { CompileArgs, FitOptions } from './trainer.js';

const skip = skipDataParallel;
const fixture = dataParallelFixture('dp-resume');
const trainer = fixture.trainer;

const bits = (m: Model) => m.namedWeights().map((w) => [w.path, Array.from(new Uint32Array(Float32Array.from(w.variable.dataSync()).buffer))] as const);

describe.skipIf(skip)('data-parallel fit resumed inside an epoch', () => {
  it('stopped at epoch 2, step 2 (dropout in 2 workers), checkpointed and resumed with new workers: weights bit-identical to an uninterrupted run', async () => {
    const n = 12;
    const x = tf.tensor2d(values(n * 6, 41), [n, 6]);
    const y = tf.tensor2d(values(n, 43).map((v) => (v > 0 ? 1 : 0)), [n, 1]);
    const build = () =>
      new Sequential({ inputShape: [6], seed: 5, layers: [new Dense({ units: 12, activation: 'relu' }), new Dropout({ rate: 0.5 }), new Dense({ units: 1, activation: 'sigmoid' })] });
    const compile: CompileArgs = { optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] };
    const options: FitOptions = { epochs: 3, batchSize: 3, verbose: 0 };

    const straight = build();
    const straightHistory = await straight.fit([x, y], { ...options, engine: await trainer(straight, compile) });

    const first = build();
    const controller = new AbortController();
    let epochNow = 0;
    const error = await first
      .fit([x, y], {
        ...options,
        engine: await trainer(first, compile),
        signal: controller.signal,
        backup: { save: (p: EpochProgress) => saveCheckpoint(first, join(fixture.dir(), 'mid'), { epoch: p.epoch, progress: p, history: first.history!.history }) },
        callbacks: [{ onEpochBegin: (e: number) => void (epochNow = e), onBatchEnd: (step: number) => void (epochNow === 1 && step === 2 ? controller.abort() : undefined) }],
      })
      .then(() => null, (e: unknown) => e);
    expect((error as CnnkitError).code).toBe('INTERRUPTED');

    const { model: resumed, epoch, progress } = await loadCheckpoint(join(fixture.dir(), 'mid'));
    expect([epoch, progress?.step]).toEqual([1, 2]);
    const history = await resumed.fit([x, y], { ...options, initialEpoch: epoch, initialProgress: progress!, engine: await trainer(resumed) });
    expect(bits(resumed)).toEqual(bits(straight));
    expect(history.history.loss).toEqual(straightHistory.history.loss.slice(1));
    tf.dispose([x, y]);
    for (const m of [straight, first, resumed]) m.dispose();
  });
});
