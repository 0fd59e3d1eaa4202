import { wasmBackend } from '@cnnkit/backend-wasm';
import { trainStep, type CompileArgs, type Model } from '@cnnkit/layers';
import { defaultRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { createOrtTrainer, type OrtTrainerOptions } from '../ort-trainer.js';

/** Activates the wasm backend: the reference engine the ORT engine must match. */
export async function useWasm(): Promise<void> {
  if (!defaultRegistry.names().includes('wasm')) defaultRegistry.add(wasmBackend());
  await selectBackend({ name: 'wasm' });
}

/** Deterministic values in [-1, 1); `ties` rounds them to halves so max-pool windows have tied maxima. */
export function values(count: number, seed = 1, ties = false): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = (s / 2 ** 32) * 2 - 1;
    return ties ? Math.round(v * 2) / 2 : v;
  });
}

/**
 * Replaces every kernel (`kernel`, `depthwise_kernel`, `pointwise_kernel`) with small
 * integers times `scale`: convolutions of half-integer inputs then give tied outputs,
 * so pooling layers see ties after them too.
 */
export function integerKernels(m: Model, scale = 1): void {
  const w = m.getWeights();
  const next = new Map<string, tf.Tensor>();
  let seed = 3;
  for (const [path, t] of w) {
    next.set(path, /kernel$/.test(path) ? tf.tensor(Float32Array.from(values(t.size, seed++), (v) => Math.round(v * 2) * scale), t.shape) : t);
  }
  m.setWeights(next);
  for (const t of [...w.values(), ...next.values()]) t.dispose();
}

export interface ParityResult {
  wasmLosses: number[];
  ortLosses: number[];
  /** Largest |wasm - ort| over every weight and optimizer slot after the steps, and where. */
  maxWeightDiff: number;
  worst: string;
  /** Largest |Δw| on wasm (so a test can check the step moved the weights at all). */
  maxUpdate: number;
  /** The largest difference per weight path and per optimizer slot (`slot <path>/<slot>`). */
  diffs: Map<string, number>;
}

/**
 * Trains two identical models (same seed, same weights) `steps` steps on the same
 * batch: one with the layers `trainStep` on wasm, one with the ORT engine; returns
 * both loss sequences and the largest weight difference afterwards (`relative`
 * divides by max(1, |w|)).
 */
export async function compareSteps(
  build: () => Model,
  compileArgs: () => CompileArgs,
  x: tf.Tensor,
  y: tf.Tensor,
  steps: number,
  options: { setup?: (m: Model) => void; relative?: boolean; trainer?: OrtTrainerOptions } = {},
): Promise<ParityResult> {
  const ref = build();
  const ort = build();
  options.setup?.(ref);
  const start = ref.getWeights();
  ort.setWeights(start);
  ref.compile(compileArgs());
  const wasmLosses: number[] = [];
  for (let i = 0; i < steps; i++) wasmLosses.push(await trainStep(ref, [x], [y]));
  const trainer = await createOrtTrainer(ort, compileArgs(), options.trainer);
  const ortLosses: number[] = [];
  for (let i = 0; i < steps; i++) ortLosses.push((await trainer.step([x], [y])).loss);
  await trainer.end();
  await trainer.dispose();
  const a = ref.getWeights();
  const b = ort.getWeights();
  let maxWeightDiff = 0;
  let maxUpdate = 0;
  let worst = '';
  const diffs = new Map<string, number>();
  for (const [path, t] of a) {
    const va = t.dataSync();
    const vb = b.get(path)!.dataSync();
    const v0 = start.get(path)!.dataSync();
    for (let i = 0; i < va.length; i++) {
      const d = Math.abs(va[i] - vb[i]) / (options.relative ? Math.max(1, Math.abs(va[i])) : 1);
      diffs.set(path, Math.max(diffs.get(path) ?? 0, d));
      if (d > maxWeightDiff) {
        maxWeightDiff = d;
        worst = `${path}[${i}]: wasm ${va[i]}, ort ${vb[i]}`;
      }
      maxUpdate = Math.max(maxUpdate, Math.abs(va[i] - v0[i]));
    }
  }
  // The optimizer state written back (checkpoints resume from it): same slots, same step count.
  const sa = ref.compiled!.optimizer.getState();
  const sb = ort.compiled!.optimizer.getState();
  if (sa.iterations !== sb.iterations) throw new Error(`optimizer iterations: wasm ${sa.iterations}, ort ${sb.iterations}`);
  if ([...sa.slots.keys()].sort().join() !== [...sb.slots.keys()].sort().join()) {
    throw new Error(`optimizer slots: wasm ${[...sa.slots.keys()].join(', ')}; ort ${[...sb.slots.keys()].join(', ')}`);
  }
  for (const [key, t] of sa.slots) {
    const va = t.dataSync();
    const vb = sb.slots.get(key)!.dataSync();
    for (let i = 0; i < va.length; i++) {
      const d = Math.abs(va[i] - vb[i]) / (options.relative ? Math.max(1, Math.abs(va[i])) : 1);
      diffs.set(`slot ${key}`, Math.max(diffs.get(`slot ${key}`) ?? 0, d));
      if (d > maxWeightDiff) {
        maxWeightDiff = d;
        worst = `slot ${key}[${i}]: wasm ${va[i]}, ort ${vb[i]}`;
      }
    }
  }
  for (const t of [...a.values(), ...b.values(), ...start.values(), ...sa.slots.values(), ...sb.slots.values()]) t.dispose();
  ref.dispose();
  ort.dispose();
  return { wasmLosses, ortLosses, maxWeightDiff, worst, maxUpdate, diffs };
}
