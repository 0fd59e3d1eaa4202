import { cpuBackend } from '@cnnkit/backend-cpu';
import { cudaBackend } from '@cnnkit/backend-cuda';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { webgpuBackend } from '@cnnkit/backend-webgpu';
import { trainStep } from '@cnnkit/layers';
import { defaultRegistry, selectBackend, tf, type BackendPlugin } from '@cnnkit/tensor-core';
import type { BenchOutcome, BenchTask } from './bench-result.js';
import { measureThroughput } from './measure-throughput.js';
import { syntheticBatch } from './synthetic-batch.js';
import { busiestShares, threadCpuSeconds } from './thread-cpu.js';
import { tutorialModel } from './tutorial-model.js';

/** The cnnkit backends that run the layers engine in this process (onnx has its own engine). */
export const LAYERS_BACKENDS = ['cpu', 'wasm', 'webgpu', 'cuda'] as const;
export type LayersBackend = (typeof LAYERS_BACKENDS)[number];

function pluginFor(name: LayersBackend): BackendPlugin {
  switch (name) {
    case 'cpu':
      return cpuBackend();
    case 'wasm':
      return wasmBackend();
    case 'webgpu':
      return webgpuBackend();
    case 'cuda':
      return cudaBackend();
    default: {
      const unreachable: never = name;
      throw new Error(`cnnkit bench: unhandled backend ${String(unreachable)}`);
    }
  }
}

/**
 * Registers the plugin once and returns why it cannot run here, or null when it can.
 * A GPU backend on a software adapter (SwiftShader) is not run unless `allowSoftware`:
 * its figure would be a CPU emulation's, not a GPU's.
 */
export async function layersBackendUnavailable(name: LayersBackend, allowSoftware = false): Promise<string | null> {
  if (!defaultRegistry.names().includes(name)) defaultRegistry.add(pluginFor(name));
  const availability = await defaultRegistry.get(name)!.isAvailable();
  if (!availability.available) return availability.reason;
  if (availability.adapter?.software === true && !allowSoftware) {
    return `only a software adapter here (${availability.adapter.description}), a CPU emulation: not a GPU figure (--allow-software-gpu runs it anyway, labelled)`;
  }
  return null;
}

/** The adapter a GPU backend reported, for the row's note, and whether it is a software one. */
async function adapterOf(name: LayersBackend): Promise<{ note?: string; software: boolean }> {
  const availability = await defaultRegistry.get(name)!.isAvailable();
  if (!availability.available || availability.adapter === undefined) return { software: false };
  const a = availability.adapter;
  return { note: `adapter ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' / ')}${a.software ? ' (SOFTWARE: not a GPU figure)' : ''}`, software: a.software };
}

export interface CnnkitBenchOptions {
  backend: LayersBackend;
  task: Exclude<BenchTask, 'decode'>;
  size: number;
  batch: number;
  warmup: number;
  repeats: number;
  note?: string;
  /** Run a GPU backend on a software adapter too (labelled in the note). */
  allowSoftware?: boolean;
}

/**
 * Times one training step (forward, backward, RMSprop update, loss read back) or one
 * forward pass of the tutorial model on a cnnkit backend.
 */
export async function benchCnnkit(options: CnnkitBenchOptions): Promise<BenchOutcome> {
  const { backend, task, size, batch, warmup, repeats } = options;
  const engine = `cnnkit-${backend}`;
  const unavailable = await layersBackendUnavailable(backend, options.allowSoftware);
  if (unavailable !== null) return { kind: 'skipped', skipped: { engine, task, size, reason: `backend not available: ${unavailable}` } };
  await selectBackend({ name: backend, task });
  const adapter = await adapterOf(backend);
  const data = syntheticBatch(size, batch);
  const model = tutorialModel(size);
  const x = tf.tensor4d(data.images, [batch, size, size, 3]);
  const y = tf.tensor2d(data.labels, [batch, 1]);
  try {
    // Both read a result back, so a GPU's queued work is timed to completion.
    const run =
      task === 'train'
        ? () => trainStep(model, [x], [y])
        : async () => {
            const p = model.predict(x, { batchSize: batch }) as tf.Tensor;
            await p.data();
            p.dispose();
          };
    for (let i = 0; i < warmup; i++) await run();
    const cpuBefore = threadCpuSeconds();
    const started = performance.now();
    const imagesPerSecond = await measureThroughput({ warmup: 0, repeats, images: batch, run });
    const cpuAfter = threadCpuSeconds();
    // Next to the data-parallel row's shares: how much of a core this thread got on a shared machine.
    const share = cpuBefore && cpuAfter ? `this thread used ${busiestShares(cpuBefore, cpuAfter, (performance.now() - started) / 1000, 1)[0].toFixed(2)} of a core` : '';
    const note = [options.note, adapter.note, share].filter(Boolean).join('; ');
    return { kind: 'result', result: { engine, task, size, batch, imagesPerSecond, repeats, ...(note ? { note } : {}), ...(adapter.software ? { software: true } : {}) } };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}
