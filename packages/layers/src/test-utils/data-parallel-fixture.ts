import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { defaultRegistry, selectBackend } from '@cnnkit/tensor-core';
import { afterAll, beforeAll } from 'vitest';
import { createDataParallelTrainer, type DataParallelTrainer } from '../training/data-parallel-trainer.js';
import type { Model } from '../models/model.js';
import type { CompileArgs } from '../training/trainer.js';

/**
 * The workers run wasm, and the single-instance reference must too, so the
 * data-parallel suites use wasm on the main thread whatever CNNKIT_TEST_BACKEND says;
 * they run in the default pass only (the wasm pass would repeat them unchanged).
 */
export const skipDataParallel = process.env.CNNKIT_TEST_BACKEND === 'wasm';

/**
 * Registers the suite's set-up: wasm selected, a scratch folder (`dir()`), and every
 * trainer made with `trainer()` disposed (its worker threads ended) after the file.
 */
export function dataParallelFixture(prefix: string): {
  dir: () => string;
  trainer: (model: Model, compile?: CompileArgs, workers?: number) => Promise<DataParallelTrainer>;
  /** Disposes a trainer made some other way after the file, too. */
  track: (t: DataParallelTrainer) => DataParallelTrainer;
} {
  let dir = '';
  const trainers: DataParallelTrainer[] = [];
  beforeAll(async () => {
    if (!defaultRegistry.names().includes('wasm')) defaultRegistry.add(wasmBackend());
    await selectBackend({ name: 'wasm' });
    dir = await mkdtemp(join(tmpdir(), `cnnkit-${prefix}-`));
  });
  afterAll(async () => {
    for (const t of trainers) await t.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    track: (t) => (trainers.push(t), t),
    trainer: async (model, compile, workers = 2) => {
      const t = await createDataParallelTrainer(model, compile, { backend: wasmBackend(), workers });
      trainers.push(t);
      return t;
    },
  };
}
