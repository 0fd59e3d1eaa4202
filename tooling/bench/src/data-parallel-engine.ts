import { wasmBackend } from '@cnnkit/backend-wasm';
import { createDataParallelTrainer } from '@cnnkit/layers';
import { selectBackend, tf } from '@cnnkit/tensor-core';
import type { BenchOutcome } from './bench-result.js';
import { layersBackendUnavailable } from './cnnkit-engine.js';
import { measureThroughput } from './measure-throughput.js';
import { syntheticBatch } from './synthetic-batch.js';
import { busiestShares, threadCpuSeconds } from './thread-cpu.js';
import { tutorialModel } from './tutorial-model.js';

/** The data-parallel row: its name says how many wasm instances train. */
export const DATA_PARALLEL_WORKERS = 2;
export const DATA_PARALLEL_ENGINE = 'cnnkit-wasm-2-instances' as const;

export interface DataParallelBenchOptions {
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
  /** Default DATA_PARALLEL_WORKERS. */
  workers?: number;
  /** Where the averaged gradients are applied (see DataParallelOptions.update). Default 'workers'. */
  update?: 'workers' | 'main';
}

/**
 * One training step of the tutorial model through `createDataParallelTrainer`:
 * `workers` wasm instances on worker threads, each computing the gradients of its
 * shard of the batch, the main thread averaging them (what `cnnkit train --backend
 * wasm` runs on a multi-core machine). Timed as `fit` sees it: from handing over the
 * batch to having the loss and predictions. The note gives the mean worker compute
 * time per step next to the step's wall time (the rest is messaging and waiting).
 */
export async function benchDataParallel(options: DataParallelBenchOptions): Promise<BenchOutcome> {
  const { size, batch, warmup, repeats } = options;
  const workers = options.workers ?? DATA_PARALLEL_WORKERS;
  const engine = workers === DATA_PARALLEL_WORKERS ? DATA_PARALLEL_ENGINE : `cnnkit-wasm-${workers}-instances`;
  const unavailable = await layersBackendUnavailable('wasm');
  if (unavailable !== null) return { kind: 'skipped', skipped: { engine, task: 'train', size, reason: `backend not available: ${unavailable}` } };
  await selectBackend({ name: 'wasm', task: 'train' });
  const data = syntheticBatch(size, batch);
  const model = tutorialModel(size);
  const x = tf.tensor4d(data.images, [batch, size, size, 3]);
  const y = tf.tensor2d(data.labels, [batch, 1]);
  const trainer = await createDataParallelTrainer(model, undefined, { backend: wasmBackend(), workers, update: options.update });
  try {
    await trainer.begin();
    for (let i = 0; i < warmup; i++) await trainer.step([x], [y]);
    trainer.resetTimings();
    const cpuBefore = threadCpuSeconds();
    const started = performance.now();
    const imagesPerSecond = await measureThroughput({ warmup: 0, repeats, images: batch, run: () => trainer.step([x], [y]) });
    const cpuAfter = threadCpuSeconds();
    const seconds = (performance.now() - started) / 1000;
    const t = trainer.timings;
    const compute = t.computeMs.reduce((a, b) => a + b, 0) / (t.steps * workers);
    const wall = (batch * 1000) / imagesPerSecond;
    // On a loaded machine the workers share the cores with other processes: say how much of a core each got.
    const shares = cpuBefore && cpuAfter ? `; busiest threads used ${busiestShares(cpuBefore, cpuAfter, seconds, workers).map((f) => f.toFixed(2)).join(' + ')} of a core` : '';
    const note = `${workers} wasm instances (worker threads), data-parallel, update on ${trainer.update}; worker compute ${compute.toFixed(0)} ms of a ${wall.toFixed(0)} ms step${shares}`;
    await trainer.end();
    return { kind: 'result', result: { engine, task: 'train', size, batch, imagesPerSecond, repeats, note } };
  } finally {
    await trainer.dispose();
    x.dispose();
    y.dispose();
    model.dispose();
  }
}
