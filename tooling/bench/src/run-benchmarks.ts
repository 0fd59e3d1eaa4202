import { cpus, loadavg } from 'node:os';
import type { BenchDataResult } from '@cnnkit/data';
import type { BenchOutcome, BenchResult, SkippedBench } from './bench-result.js';
import { bestOutcome } from './best-outcome.js';
import { benchCnnkit } from './cnnkit-engine.js';
import { cpuVectorExtensions } from './cpu-vector-extensions.js';
import { benchDataParallel, DATA_PARALLEL_ENGINE } from './data-parallel-engine.js';
import { benchDataMemory, benchDecode } from './data-pipeline-engine.js';
import { ENGINE_IDS, type EngineId } from './engines.js';
import { benchOnnxInference } from './onnx-engine.js';
import { benchOrtTrainingHook } from './ort-training-engine.js';
import { benchPytorchCuda, findCudaPython } from './pytorch-cuda-engine.js';
import { benchPytorch } from './pytorch-engine.js';
import { checkTargets, type TargetCheck } from './targets.js';
import { benchTfjsLayers } from './tfjs-layers-engine.js';

export interface RunBenchmarksOptions {
  /** Image sides. Default [128, 300]. */
  sizes?: readonly number[];
  /** Default 32. */
  batch?: number;
  /** Timed repeats per row; the median is reported. Default 5. */
  repeats?: number;
  /** Untimed runs before the timed ones. Default 1. */
  warmup?: number;
  /** Default: all of ENGINE_IDS. */
  engines?: readonly EngineId[];
  /**
   * The cpu engines (cnnkit-cpu, tfjs-layers-cpu) run tfjs's pure-JS kernels, ~100x slower
   * than wasm (tfjs-layers trains at ~0.1 image/s): they run only at sizes up to this
   * (default 128), with `cpuBatch` images and one timed repeat (training without warm-up).
   */
  cpuMaxSize?: number;
  /** Default 4. */
  cpuBatch?: number;
  /** JPEG files for the decode row. Default 512. */
  decodeFiles?: number;
  /** Also measure peak RSS of the data pipeline for 5k vs 50k files (minutes). Default false. */
  dataMemory?: boolean;
  /** Where the 2-instance row applies the averaged gradients (see DataParallelOptions.update). Default 'workers'. */
  dataParallelUpdate?: 'workers' | 'main';
  /** Also run the ORT training engine hook when the onnx engine is selected. Default true. */
  ortTraining?: boolean;
  /**
   * The GPU rows (cnnkit-webgpu, pytorch-cuda): their own sizes and batches, since a GPU
   * wants larger batches. Default 128 px batch 32 (next to the CPU engines, same batch)
   * and 180 px batch 128 (the Keras tutorial's size).
   */
  gpuRows?: readonly { size: number; batch: number }[];
  /** Run cnnkit-webgpu on a software adapter too (labelled in its note). Default false. */
  allowSoftwareGpu?: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface BenchReport {
  /** DESIGN.md's `cnnkit bench --json` rows: every one a measured, finite images/s. */
  results: BenchResult[];
  /** Engines/tasks that could not run here, with the reason. */
  skipped: SkippedBench[];
  targets: TargetCheck[];
  /** 5k vs 50k files, when `dataMemory` was asked for. */
  dataMemory?: BenchDataResult[];
  environment: { node: string; cpus: number; vectorExtensions: string; loadAverage: number[]; startedAt: string; seconds: number };
}

/**
 * Runs every selected engine on the tutorial model in one process run (peers in child
 * processes), so the ratios are measured under the same machine load.
 *
 * @example
 * ```ts
 * const report = await runBenchmarks({ sizes: [128, 300], batch: 32, repeats: 5, warmup: 1, log: console.error });
 * console.log(formatBenchTable(report));
 * ```
 */
export async function runBenchmarks(options: RunBenchmarksOptions = {}): Promise<BenchReport> {
  const sizes = options.sizes ?? [128, 300];
  const batch = options.batch ?? 32;
  const repeats = options.repeats ?? 5;
  const warmup = options.warmup ?? 1;
  const engines = new Set<EngineId>(options.engines ?? ENGINE_IDS);
  const cpuMaxSize = options.cpuMaxSize ?? 128;
  const cpuBatch = options.cpuBatch ?? 4;
  const log = options.log ?? (() => {});
  const started = new Date();
  const results: BenchResult[] = [];
  const skipped: SkippedBench[] = [];
  const record = (outcome: BenchOutcome) => {
    if (outcome.kind === 'result') {
      results.push(outcome.result);
      const r = outcome.result;
      log(`${r.engine.padEnd(17)} ${r.task.padEnd(6)} ${r.size}px batch ${r.batch}: ${r.imagesPerSecond.toFixed(2)} images/s`);
    } else {
      skipped.push(outcome.skipped);
      const s = outcome.skipped;
      log(`${s.engine.padEnd(17)} ${s.task.padEnd(6)} ${s.size}px: skipped (${s.reason})`);
    }
  };
  const cpuNote = (task: 'train' | 'infer') => `pure-JS kernels: batch ${cpuBatch}${task === 'train' ? ', no warm-up' : ''}`;

  for (const size of sizes) {
    log(`-- ${size}px`);
    // The peer runs before and after the cnnkit rows; its best is recorded (see bestOutcome).
    const pytorchFirst = engines.has('pytorch') ? await benchPytorch({ size, batch, warmup, repeats, tasks: ['train', 'infer'] }) : [];
    for (const backend of ['wasm', 'cuda'] as const) {
      if (!engines.has(`cnnkit-${backend}`)) continue;
      for (const task of ['train', 'infer'] as const) record(await benchCnnkit({ backend, task, size, batch, warmup, repeats }));
    }
    if (engines.has(DATA_PARALLEL_ENGINE)) record(await benchDataParallel({ size, batch, warmup, repeats, update: options.dataParallelUpdate }));
    if (engines.has('cnnkit-onnx')) {
      record(await benchOnnxInference({ size, batch, warmup, repeats }));
      if (options.ortTraining ?? true) record(await benchOrtTrainingHook({ size, batch, warmup, repeats, log }));
    }
    for (const peer of ['cnnkit-cpu', 'tfjs-layers-cpu'] as const) {
      if (!engines.has(peer)) continue;
      for (const task of ['train', 'infer'] as const) {
        if (size > cpuMaxSize) {
          record({ kind: 'skipped', skipped: { engine: peer, task, size, reason: `not run above ${cpuMaxSize}px: pure-JS kernels (~100x slower than wasm) would take many minutes per step` } });
        } else if (peer === 'cnnkit-cpu') {
          record(await benchCnnkit({ backend: 'cpu', task, size, batch: cpuBatch, warmup: task === 'train' ? 0 : 1, repeats: 1, note: cpuNote(task) }));
        } else {
          record(await benchTfjsLayers({ backend: 'cpu', task, size, batch: cpuBatch, warmup: task === 'train' ? 0 : 1, repeats: 1, note: cpuNote(task) }));
        }
      }
    }
    if (engines.has('tfjs-layers-wasm')) {
      // Training is expected to fail (stock tfjs-backend-wasm lacks Conv2DBackpropFilter):
      // one step shows it, and the failure becomes a row with tfjs's message.
      record(await benchTfjsLayers({ backend: 'wasm', task: 'train', size, batch, warmup: 0, repeats: 1 }));
      record(await benchTfjsLayers({ backend: 'wasm', task: 'infer', size, batch, warmup, repeats }));
    }
    if (engines.has('pytorch')) {
      const second = await benchPytorch({ size, batch, warmup, repeats, tasks: ['train', 'infer'] });
      second.forEach((outcome, i) => record(bestOutcome(pytorchFirst[i], outcome)));
    }
    if (engines.has('sharp-decode')) record(await benchDecode({ size, batch, files: options.decodeFiles ?? 512, log }));
  }
  const gpuEngines = (['cnnkit-webgpu', 'pytorch-cuda'] as const).filter((e) => engines.has(e));
  if (gpuEngines.length > 0) {
    const cudaPython = engines.has('pytorch-cuda') ? await findCudaPython() : undefined;
    // The first steps compile every shader (WebGPU) or autotune cuDNN: always warm up twice.
    const gpuWarmup = Math.max(warmup, 2);
    for (const { size, batch: gpuBatch } of options.gpuRows ?? [{ size: 128, batch: 32 }, { size: 180, batch: 128 }]) {
      log(`-- GPU ${size}px batch ${gpuBatch}`);
      if (engines.has('cnnkit-webgpu')) {
        for (const task of ['train', 'infer'] as const) {
          record(await benchCnnkit({ backend: 'webgpu', task, size, batch: gpuBatch, warmup: gpuWarmup, repeats, allowSoftware: options.allowSoftwareGpu }));
        }
      }
      if (engines.has('pytorch-cuda')) for (const o of await benchPytorchCuda({ size, batch: gpuBatch, warmup: gpuWarmup, repeats, tasks: ['train', 'infer'] }, cudaPython)) record(o);
    }
  }
  let dataMemory: BenchDataResult[] | undefined;
  if (options.dataMemory) {
    log('-- data pipeline peak RSS, 5k vs 50k files (minutes)');
    dataMemory = await benchDataMemory(log);
  }
  return {
    results,
    skipped,
    targets: checkTargets(results),
    ...(dataMemory ? { dataMemory } : {}),
    environment: {
      node: process.version,
      vectorExtensions: cpuVectorExtensions(),
      cpus: cpus().length,
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      startedAt: started.toISOString(),
      seconds: Math.round((Date.now() - started.getTime()) / 1000),
    },
  };
}
