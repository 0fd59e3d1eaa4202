import { seedCnn, trainStep, type Model } from '@cnnkit/layers';
import { defaultRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { createOrtTrainer, type OrtTrainerOptions } from './ort-trainer.js';

export interface BenchOrtTrainingOptions {
  /** Image side in pixels. Default 128. */
  size?: number;
  /** Default 32. */
  batch?: number;
  /** Timed steps per engine. Default 10. */
  steps?: number;
  /** Untimed steps per engine first (session planning, wasm compilation). Default 2. */
  warmup?: number;
  /** Also time the layers engine on wasm in the same run. Default true. */
  wasm?: boolean;
  /** Passed to the ORT engine (default 2 threads, `extended`). */
  ort?: OrtTrainerOptions;
  /** Where progress lines go. Default: nowhere. */
  log?: (line: string) => void;
}

export interface BenchResult {
  engine: 'cnnkit-onnx' | 'cnnkit-wasm';
  task: 'train';
  size: number;
  batch: number;
  steps: number;
  imagesPerSecond: number;
}

function benchModel(size: number): Model {
  const model = seedCnn({ imageSize: [size, size], numClasses: 2, seed: 1 });
  model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy' });
  return model;
}

function batchData(size: number, batch: number): { x: Float32Array; y: Float32Array } {
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return { x: Float32Array.from({ length: batch * size * size * 3 }, () => Math.floor(next() * 256)), y: Float32Array.from({ length: batch }, () => (next() < 0.5 ? 0 : 1)) };
}

/**
 * Training throughput of the tutorial model (RMSprop, binary cross-entropy) on the
 * ORT engine and, in the same run, on the layers engine with the wasm backend
 * (when `@cnnkit/backend-wasm` is installed), alternating the engines step by step
 * so the ratio is measured under the same machine load.
 *
 * @example
 * ```ts
 * const results = await benchOrtTraining({ size: 128, batch: 32, steps: 10, log: console.error });
 * ```
 */
export async function benchOrtTraining(options: BenchOrtTrainingOptions = {}): Promise<BenchResult[]> {
  const size = options.size ?? 128;
  const batch = options.batch ?? 32;
  const steps = options.steps ?? 10;
  const warmup = options.warmup ?? 2;
  const log = options.log ?? (() => {});
  const { x, y } = batchData(size, batch);
  const results: BenchResult[] = [];
  // The layers model (weights, optimizer) lives on a tfjs backend: wasm when installed
  // (it is also the engine compared), else whatever backend the caller selected.
  let wasm = false;
  if (options.wasm ?? true) {
    try {
      const { wasmBackend } = await import('@cnnkit/backend-wasm');
      if (!defaultRegistry.names().includes('wasm')) defaultRegistry.add(wasmBackend());
      await selectBackend({ name: 'wasm' });
      wasm = true;
    } catch {
      log('cnnkit-wasm  skipped: @cnnkit/backend-wasm is not installed');
    }
  }

  const model = benchModel(size);
  const trainer = await createOrtTrainer(model, undefined, options.ort);
  const ref = wasm ? benchModel(size) : null;
  const xt = ref === null ? null : tf.tensor(x, [batch, size, size, 3]);
  const yt = ref === null ? null : tf.tensor(y, [batch, 1]);
  for (let i = 0; i < warmup; i++) {
    await trainer.step([x], [y]);
    if (ref !== null) await trainStep(ref, [xt!], [yt!]);
  }
  // The engines alternate step by step, so both see the same machine load (other
  // processes on a shared machine swing throughput by 2x within a minute).
  let ortMs = 0;
  let wasmMs = 0;
  // CPU time too: on a loaded machine it says what the step costs without the waiting.
  let ortCpu = 0;
  let wasmCpu = 0;
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (let i = 0; i < steps; i++) {
    let t0 = performance.now();
    let c0 = cpuMs();
    await trainer.step([x], [y]);
    ortMs += performance.now() - t0;
    ortCpu += cpuMs() - c0;
    if (ref !== null) {
      t0 = performance.now();
      c0 = cpuMs();
      await trainStep(ref, [xt!], [yt!]);
      wasmMs += performance.now() - t0;
      wasmCpu += cpuMs() - c0;
    }
  }
  await trainer.dispose();
  model.dispose();
  const ortRate = (steps * batch * 1000) / ortMs;
  results.push({ engine: 'cnnkit-onnx', task: 'train', size, batch, steps, imagesPerSecond: ortRate });
  log(`cnnkit-onnx  train ${size}px batch ${batch}: ${ortRate.toFixed(1)} images/s (${((steps * batch * 1000) / ortCpu).toFixed(1)} images per CPU-second)`);
  if (ref !== null) {
    xt!.dispose();
    yt!.dispose();
    ref.dispose();
    const wasmRate = (steps * batch * 1000) / wasmMs;
    results.push({ engine: 'cnnkit-wasm', task: 'train', size, batch, steps, imagesPerSecond: wasmRate });
    log(`cnnkit-wasm  train ${size}px batch ${batch}: ${wasmRate.toFixed(1)} images/s (${((steps * batch * 1000) / wasmCpu).toFixed(1)} images per CPU-second; ORT ${(ortRate / wasmRate).toFixed(2)}x, steps interleaved)`);
  }
  return results;
}
