/** Shared test helpers: a seeded weight factory, model builders and the export-vs-tfjs check. */
import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { BackendRegistry, createRng, selectBackend, type Rng } from '@cnnkit/tensor-core';
import { expect } from 'vitest';
import { exportOnnx } from '../export-onnx.js';
import type { ExportLayer, ExportModel, ExportWeight } from '../export-model.js';
import { verifyOnnx, type VerifyOnnxResult } from '../verify-onnx.js';
import { runKerasReference } from './keras-reference.js';

/**
 * tfjs on wasm is the reference backend (the CLI's default training backend);
 * `CNNKIT_BACKEND=cpu` re-runs every comparison against the pure-JS kernels.
 */
export async function useWasmReference(): Promise<void> {
  const registry = new BackendRegistry().add(wasmBackend()).add(cpuBackend());
  await selectBackend({ name: process.env.CNNKIT_BACKEND ? undefined : 'wasm', registry });
}

/** Random weights of a given shape, uniform in [-scale, scale]. */
export function randomWeight(rng: Rng, shape: number[], scale = 0.5): ExportWeight {
  const count = shape.reduce((a, b) => a * b, 1);
  return { shape, values: rng.fillUniform(new Float32Array(count), -scale, scale) };
}

export function layer(name: string, className: string, inputs: string[], config: Record<string, unknown> = {}, weights: Record<string, ExportWeight> = {}): ExportLayer {
  return { name, className, inputs, config, weights };
}

/**
 * InputLayer -> Rescaling(1/255) -> `body` -> output: the first real layers see
 * 0..1 values, as in a trained model, so 1e-4 is a meaningful float32 bound.
 */
export function chain(inputShape: [number, number, number], body: ExportLayer[], classNames: string[] = []): ExportModel {
  const layers: ExportLayer[] = [layer('input', 'InputLayer', []), layer('rescaling', 'Rescaling', ['input'], { scale: 1 / 255, offset: 0 })];
  let prev = 'rescaling';
  for (const l of body) {
    layers.push(l.inputs.length > 0 ? l : { ...l, inputs: [prev] });
    prev = l.name;
  }
  return { inputShape, layers, outputs: [prev], classNames };
}

export function rng(seed: string): Rng {
  return createRng(seed);
}

/** Exports `model`, runs it in onnxruntime on batches of 1 and 3, and expects <= tolerance versus tfjs. */
export async function expectOnnxMatchesReference(model: ExportModel, options: { opset?: number; tolerance?: number; batches?: number[] } = {}): Promise<VerifyOnnxResult> {
  const bytes = exportOnnx(model, { opset: options.opset ?? 17 });
  const result = await verifyOnnx(bytes, (x, shape) => runKerasReference(model, x, shape), {
    inputs: options.batches ?? [1, 3],
    tolerance: options.tolerance ?? 1e-4,
  });
  expect(result.perInput.map((p) => p.shape[0])).toEqual(options.batches ?? [1, 3]);
  expect(result.maxAbsDiff, JSON.stringify(result.perInput)).toBeLessThanOrEqual(options.tolerance ?? 1e-4);
  return result;
}
