import { wasmBackend } from '@cnnkit/backend-wasm';
import { trainStep } from '@cnnkit/layers';
import { defaultRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { syntheticBatch } from './synthetic-batch.js';
import { tutorialModel } from './tutorial-model.js';

export interface KernelTime {
  kernel: string;
  calls: number;
  ms: number;
  /** Share of the summed kernel time. */
  share: number;
}

export interface WasmTrainingProfile {
  size: number;
  batch: number;
  /** Wall time of the profiled step (includes the profiler's own overhead). */
  stepMs: number;
  /** Summed kernel time; the rest of `stepMs` is JS (tape, tidy, dispatch). */
  kernelMs: number;
  kernels: KernelTime[];
}

/**
 * Where a wasm training step of the tutorial model spends its time, per tfjs kernel
 * (`tf.profile` over one step after a warm-up step). Kernel times are wall times of
 * each synchronous wasm call, so they add up to most of the step.
 *
 * @example
 * ```ts
 * const p = await profileWasmTraining({ size: 128, batch: 32 });
 * console.table(p.kernels.slice(0, 10));
 * ```
 */
export async function profileWasmTraining(options: { size?: number; batch?: number; steps?: number } = {}): Promise<WasmTrainingProfile> {
  const size = options.size ?? 128;
  const batch = options.batch ?? 32;
  const steps = options.steps ?? 1;
  if (!defaultRegistry.names().includes('wasm')) defaultRegistry.add(wasmBackend());
  await selectBackend({ name: 'wasm', task: 'train' });
  const data = syntheticBatch(size, batch);
  const model = tutorialModel(size);
  const x = tf.tensor4d(data.images, [batch, size, size, 3]);
  const y = tf.tensor2d(data.labels, [batch, 1]);
  try {
    trainStep(model, [x], [y]);
    const t0 = performance.now();
    const info = await tf.profile(() => {
      for (let i = 0; i < steps; i++) trainStep(model, [x], [y]);
      return [];
    });
    const stepMs = (performance.now() - t0) / steps;
    const byKernel = new Map<string, { calls: number; ms: number }>();
    for (const k of info.kernels) {
      const time = await k.kernelTimeMs;
      const ms = typeof time === 'number' ? time : 0;
      const entry = byKernel.get(k.name) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += ms;
      byKernel.set(k.name, entry);
    }
    const kernelMs = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
    const kernels = [...byKernel.entries()]
      .map(([kernel, e]) => ({ kernel, calls: e.calls / steps, ms: e.ms / steps, share: e.ms / kernelMs }))
      .sort((a, b) => b.ms - a.ms);
    return { size, batch, stepMs, kernelMs: kernelMs / steps, kernels };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}

/** The profile as text: one line per kernel, slowest first. */
export function formatProfile(profile: WasmTrainingProfile): string {
  const lines = [`wasm training step, ${profile.size}px batch ${profile.batch}: ${profile.stepMs.toFixed(0)} ms wall, ${profile.kernelMs.toFixed(0)} ms in kernels`];
  for (const k of profile.kernels) {
    if (k.share < 0.002) continue;
    lines.push(`  ${k.kernel.padEnd(26)} ${String(k.calls).padStart(4)} calls ${k.ms.toFixed(1).padStart(9)} ms ${(k.share * 100).toFixed(1).padStart(5)}%`);
  }
  return lines.join('\n');
}
