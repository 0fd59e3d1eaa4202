import type { BenchResult, BenchTask } from './bench-result.js';

/** One ratio the project set a target for (cnnkit engine over its peer, higher is better). */
export interface TargetSpec {
  name: string;
  numerator: { engine: string; task: BenchTask };
  /** Several engines: the fastest of them measured at that size. */
  denominator: { engine: string | readonly string[]; task: BenchTask };
  /** The size the target is stated at; null = at every measured size. */
  size: number | null;
  target: number;
}

export const TARGETS: readonly TargetSpec[] = [
  // Both sides use the machine's 2 cores: PyTorch 2 threads, cnnkit 2 wasm instances (data-parallel).
  { name: 'wasm training (2 instances) / PyTorch training', numerator: { engine: 'cnnkit-wasm-2-instances', task: 'train' }, denominator: { engine: 'pytorch', task: 'train' }, size: 128, target: 0.5 },
  { name: 'wasm inference / tfjs-layers wasm inference', numerator: { engine: 'cnnkit-wasm', task: 'infer' }, denominator: { engine: 'tfjs-layers-wasm', task: 'infer' }, size: null, target: 1.0 },
  { name: 'onnx inference / PyTorch inference', numerator: { engine: 'cnnkit-onnx', task: 'infer' }, denominator: { engine: 'pytorch', task: 'infer' }, size: null, target: 2.5 },
  // The pipeline must keep up with the fastest wasm trainer, the data-parallel one.
  { name: 'data pipeline / wasm training (2 instances) consumption', numerator: { engine: 'sharp-decode', task: 'decode' }, denominator: { engine: 'cnnkit-wasm-2-instances', task: 'train' }, size: 300, target: 3 },
  { name: 'ORT training / PyTorch training', numerator: { engine: 'cnnkit-onnx', task: 'train' }, denominator: { engine: 'pytorch', task: 'train' }, size: null, target: 1.5 },
  // A training step costs ~3x a forward pass in FLOPs (PyTorch's takes 2.4-3.4x its inference
  // here): an engine's own training rate over its own inference rate shows how far its backward
  // pass falls behind its forward one. ">= 0.2" is "a step per image <= 5x inference".
  { name: 'ORT training / ORT inference (step per image <= 5x inference)', numerator: { engine: 'cnnkit-onnx', task: 'train' }, denominator: { engine: 'cnnkit-onnx', task: 'infer' }, size: null, target: 0.2 },
  { name: 'wasm training / wasm inference (step per image <= 4x inference)', numerator: { engine: 'cnnkit-wasm', task: 'train' }, denominator: { engine: 'cnnkit-wasm', task: 'infer' }, size: null, target: 0.25 },
  // On one GPU, fp32 both: the Keras tutorial's size and batch.
  { name: 'webgpu training / PyTorch CUDA training', numerator: { engine: 'cnnkit-webgpu', task: 'train' }, denominator: { engine: 'pytorch-cuda', task: 'train' }, size: 180, target: 0.5 },
  // A GPU must pay for itself against whatever cnnkit trains fastest on the same machine's CPU.
  {
    name: 'webgpu training / fastest cnnkit CPU training',
    numerator: { engine: 'cnnkit-webgpu', task: 'train' },
    denominator: { engine: ['cnnkit-onnx', 'cnnkit-wasm-2-instances', 'cnnkit-wasm', 'cnnkit-cpu'], task: 'train' },
    size: 128,
    target: 10,
  },
];

/**
 * A speed floor: an engine must reach at least this rate at this size. Wall-clock
 * limits belong here, in the bench, not in the test suites (where a busy machine
 * fails them and a fast one hides a slowdown).
 */
export interface FloorSpec {
  name: string;
  engine: string;
  task: BenchTask;
  size: number;
  minImagesPerSecond: number;
}

export const FLOORS: readonly FloorSpec[] = [
  // Was `expect(seconds).toBeLessThan(60)` in layers' synthetic-training.test.ts: the
  // tutorial model trains 3 epochs of 96 16x16 images in under 60 s, i.e. >= 4.8
  // training images/s at 16 px (its 64 validation images per epoch are inference).
  // Measured with `pnpm bench --sizes 16`.
  { name: 'tutorial model training at 16 px, cpu (synthetic-training: 3 x 96 images < 60 s)', engine: 'cnnkit-cpu', task: 'train', size: 16, minImagesPerSecond: (3 * 96) / 60 },
  { name: 'tutorial model training at 16 px, wasm (synthetic-training: 3 x 96 images < 60 s)', engine: 'cnnkit-wasm', task: 'train', size: 16, minImagesPerSecond: (3 * 96) / 60 },
];

export interface TargetCheck {
  name: string;
  size: number;
  ratio: number;
  target: number;
  met: boolean;
  /** The denominator's engine (for a "fastest of" target, the one that was fastest). */
  against: string;
  /** True when measured at another size than the one the target names (e.g. in --quick). */
  offSize: boolean;
}

function find(results: readonly BenchResult[], engine: string | readonly string[], task: BenchTask, size: number): BenchResult | undefined {
  const names: readonly string[] = typeof engine === 'string' ? [engine] : engine;
  const measured = results.filter((r) => names.includes(r.engine) && r.task === task && r.size === size);
  return measured.sort((a, b) => b.imagesPerSecond - a.imagesPerSecond)[0];
}

/**
 * Every target ratio the results allow: at the target's size when measured, else at
 * every size where both sides were measured (flagged `offSize`, so a --quick run still
 * shows the ratios without claiming the target).
 */
export function checkTargets(all: readonly BenchResult[]): TargetCheck[] {
  // A software GPU's figure is a CPU emulation's: it never stands in for a GPU target.
  const results = all.filter((r) => r.software !== true);
  const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
  const checks: TargetCheck[] = [];
  for (const spec of TARGETS) {
    const both = sizes.filter((s) => find(results, spec.numerator.engine, spec.numerator.task, s) && find(results, spec.denominator.engine, spec.denominator.task, s));
    const chosen = spec.size !== null && both.includes(spec.size) ? [spec.size] : both;
    for (const size of chosen) {
      const denominator = find(results, spec.denominator.engine, spec.denominator.task, size)!;
      const ratio = find(results, spec.numerator.engine, spec.numerator.task, size)!.imagesPerSecond / denominator.imagesPerSecond;
      checks.push({ name: spec.name, size, ratio, target: spec.target, met: ratio >= spec.target, offSize: spec.size !== null && spec.size !== size, against: denominator.engine });
    }
  }
  // A floor is a ratio over its minimum rate, target 1, checked only at its own size.
  for (const floor of FLOORS) {
    const measured = find(results, floor.engine, floor.task, floor.size);
    if (measured === undefined) continue;
    const ratio = measured.imagesPerSecond / floor.minImagesPerSecond;
    // Built apart from the push: main's TargetCheck adds `against` (the denominator engine),
    // which a floor states as its rate; an object variable passes either shape's check.
    const check = { name: floor.name, size: floor.size, ratio, target: 1, met: ratio >= 1, against: `${floor.minImagesPerSecond} images/s`, offSize: false };
    checks.push(check);
  }
  return checks;
}
