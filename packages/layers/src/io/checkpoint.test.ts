import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization } from '../layers/batch-normalization.js';
import type { Callback } from '../callbacks/callback.js';
import { ModelCheckpoint } from '../callbacks/model-checkpoint.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { GlobalAveragePooling2D } from '../layers/global-pooling2d.js';
import { MaxPooling2D } from '../layers/max-pooling2d.js';
import { Sequential } from '../models/sequential.js';
import { useTestBackend, values } from '../test-utils/setup.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';

let dir: string;
beforeAll(async () => {
  await useTestBackend();
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-ckpt-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A model with every source of run-to-run state: BN statistics, dropout streams, Adam slots. */
function build(): Sequential {
  const m = new Sequential({
    inputShape: [6, 6, 2],
    seed: 7,
    layers: [
      new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      new BatchNormalization(),
      new MaxPooling2D(),
      new Dropout({ rate: 0.4 }),
      new GlobalAveragePooling2D(),
      new Dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.02 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

const x = () => tf.tensor4d(values(12 * 6 * 6 * 2, 3).map((v) => (v + 1) * 100), [12, 6, 6, 2]);
const y = () => tf.tensor2d(values(12, 4).map((v) => (v > 0 ? 1 : 0)), [12, 1]);
const weightsOf = (m: Sequential) => Promise.all(m.namedWeights().map(async (w) => [w.path, Array.from(await w.variable.data())] as const));

/** Simulates a crash right after the checkpoint of epoch `k` was written. */
class Crash implements Callback {
  constructor(readonly afterEpoch: number) {}
  onEpochEnd(epoch: number): void {
    if (epoch + 1 === this.afterEpoch) throw new Error('simulated crash');
  }
}

describe('checkpoints', () => {
  it('a run interrupted after epoch 2 and resumed reaches bit-identical weights', async () => {
    const data = [x(), y()] as const;
    const straight = build();
    await straight.fit(data, { epochs: 4, batchSize: 4, verbose: 0 });

    const interrupted = build();
    const checkpoints = new ModelCheckpoint({ path: join(dir, 'run', 'epoch-{epoch:03d}') });
    await expect(interrupted.fit(data, { epochs: 4, batchSize: 4, verbose: 0, callbacks: [checkpoints, new Crash(2)] })).rejects.toThrow('simulated crash');
    expect(checkpoints.written).toEqual([join(dir, 'run', 'epoch-001'), join(dir, 'run', 'epoch-002')]);
    expect((await readdir(join(dir, 'run', 'epoch-002'))).sort()).toEqual(['model.json', 'optimizer.safetensors', 'training-state.json', 'weights.safetensors']);

    const { model: resumed, epoch, history } = await loadCheckpoint(join(dir, 'run', 'epoch-002'));
    expect(epoch).toBe(2);
    expect(history.loss).toHaveLength(2);
    expect(resumed.compiled!.optimizer.iterations).toBe(6);
    await resumed.fit(data, { initialEpoch: epoch, epochs: 4, batchSize: 4, verbose: 0 });
    expect(await weightsOf(resumed as Sequential)).toEqual(await weightsOf(straight));
  });

  it('detects mixed, missing or corrupt checkpoint files', async () => {
    const model = build();
    await model.fit([x(), y()], { epochs: 2, batchSize: 6, verbose: 0, callbacks: [new ModelCheckpoint({ path: join(dir, 'mix', 'e{epoch:03d}') })] });
    const e1 = join(dir, 'mix', 'e001');
    const e2 = join(dir, 'mix', 'e002');
    await copyFile(join(e1, 'weights.safetensors'), join(e2, 'weights.safetensors'));
    await expect(loadCheckpoint(e2)).rejects.toThrow(/e002\/weights\.safetensors: holds epoch 1 but training-state\.json says 2: mixed checkpoint files/);
    await writeFile(join(e1, 'training-state.json'), '{"format": "cnnkit-checkpoint"');
    await expect(loadCheckpoint(e1)).rejects.toThrow(/e001\/training-state\.json: bad JSON/);
    await expect(loadCheckpoint(join(dir, 'mix', 'none'))).rejects.toThrow(/none\/training-state\.json: cannot read \(ENOENT\): not a complete checkpoint/);
    await expect(saveCheckpoint(new Sequential({ inputShape: [1] }), join(dir, 'x'), { epoch: 1 })).rejects.toThrow(CnnkitError);
  });

  it('leaves no temporary files behind', async () => {
    const names = await readdir(join(dir, 'run', 'epoch-001'));
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('saveCheckpoint is all or nothing', () => {
  it('a write that fails part-way leaves no folder under the final name and no staging folder; a second save replaces the first whole', async () => {
    const model = build();
    await model.fit([x(), y()], { epochs: 1, batchSize: 6, verbose: 0 });
    const parent = join(dir, 'all-or-nothing');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    // model.json is written after both safetensors files: the failure comes part-way.
    await expect(saveCheckpoint(model, join(parent, 'epoch-001'), { epoch: 1, metadata: { training: circular } })).rejects.toThrow(TypeError);
    expect(await readdir(parent)).toEqual([]);

    await saveCheckpoint(model, join(parent, 'epoch-001'), { epoch: 1 });
    await saveCheckpoint(model, join(parent, 'epoch-001'), { epoch: 1, progress: { epoch: 1, step: 2, lossSum: 1, seen: 6, metrics: [[[3, 6]]] } });
    expect(await readdir(parent)).toEqual(['epoch-001']);
    const { progress } = await loadCheckpoint(join(parent, 'epoch-001'));
    expect(progress).toEqual({ epoch: 1, step: 2, lossSum: 1, seen: 6, metrics: [[[3, 6]]] });
    model.dispose();
  });
});
