import { describe, expect, it } from 'vitest';
import type { BenchResult } from './bench-result.js';
import { checkTargets } from './targets.js';

const row = (engine: string, size: number, imagesPerSecond: number, extra: Partial<BenchResult> = {}): BenchResult => ({
  engine, task: 'train', size, batch: 32, imagesPerSecond, repeats: 5, ...extra,
});

describe('checkTargets: the GPU ratios', () => {
  it('webgpu against the fastest cnnkit CPU engine at 128 px names which one that was (hand-computed)', () => {
    const checks = checkTargets([row('cnnkit-webgpu', 128, 2400), row('cnnkit-onnx', 128, 160), row('cnnkit-wasm', 128, 20), row('cnnkit-wasm-2-instances', 128, 40)]);
    const fastest = checks.find((c) => c.name === 'webgpu training / fastest cnnkit CPU training')!;
    expect(fastest).toMatchObject({ size: 128, ratio: 15, against: 'cnnkit-onnx', met: true, offSize: false });
  });

  it('webgpu against PyTorch CUDA at 180 px, the Keras tutorial size', () => {
    const checks = checkTargets([row('cnnkit-webgpu', 180, 900, { batch: 128 }), row('pytorch-cuda', 180, 2000, { batch: 128 })]);
    expect(checks.find((c) => c.name === 'webgpu training / PyTorch CUDA training')).toMatchObject({ size: 180, ratio: 0.45, met: false });
  });

  it("never counts a software adapter's figure toward a GPU target", () => {
    const checks = checkTargets([row('cnnkit-webgpu', 128, 2400, { software: true }), row('cnnkit-onnx', 128, 160)]);
    expect(checks.filter((c) => c.name.startsWith('webgpu'))).toEqual([]);
  });
});

describe('checkTargets: an engine against its own inference', () => {
  it('the step-per-image ratios: ORT 163 train / 1049 infer = 0.155 (a step is 6.4x inference, over 5x: missed); wasm 20 / 70 = 0.286 (3.5x: met)', () => {
    const checks = checkTargets([
      row('cnnkit-onnx', 128, 163),
      row('cnnkit-onnx', 128, 1049, { task: 'infer' }),
      row('cnnkit-wasm', 128, 20),
      row('cnnkit-wasm', 128, 70, { task: 'infer' }),
    ]);
    const ort = checks.find((c) => c.name.startsWith('ORT training / ORT inference'))!;
    expect(ort).toMatchObject({ size: 128, target: 0.2, met: false, against: 'cnnkit-onnx' });
    expect(ort.ratio).toBeCloseTo(163 / 1049, 12);
    const wasm = checks.find((c) => c.name.startsWith('wasm training / wasm inference'))!;
    expect(wasm).toMatchObject({ size: 128, target: 0.25, met: true });
    expect(wasm.ratio).toBeCloseTo(20 / 70, 12);
  });
});
