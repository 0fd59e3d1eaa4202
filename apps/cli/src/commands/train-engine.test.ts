import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, expectErrorLine, sampleDataDir } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;
/** A model ORT does not compile (a keepdims pooling): auto must pass it to the next engine. */
let keepdims: string;
const countSteps = fileURLToPath(new URL('../test-utils/count-ort-steps.mjs', import.meta.url));

beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('train-engine', 12));
  keepdims = join(dir, 'keepdims.json');
  const layers = [
    { className: 'InputLayer', config: { shape: [16, 16, 3] } },
    { className: 'Rescaling', config: { scale: 1 / 255 } },
    { className: 'Conv2D', config: { filters: 4, kernelSize: 3, activation: 'relu' } },
    { className: 'GlobalAveragePooling2D', config: { keepdims: true } },
    { className: 'Flatten', config: {} },
    { className: 'Dense', config: { units: 1, activation: 'sigmoid' } },
  ];
  await writeFile(keepdims, JSON.stringify({ className: 'Sequential', config: { name: 'keepdims', layers } }));
});

const flags = ['--image-size', '16', '--batch-size', '8', '--epochs', '1', '--seed', '2'];

/** `cnnkit train` with the ORT step counter preloaded: how many steps really ran through ORT. */
async function train(name: string, extra: string[]) {
  const run = join(dir, name);
  const steps = join(dir, `${name}-ort-steps.txt`);
  const r = await cnnkit(['train', data, '--out', run, ...flags, ...extra], {
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${countSteps}`.trim(), CNNKIT_TEST_ORT_STEPS: steps, CNNKIT_BACKEND: '' },
  });
  const ortSteps = await readFile(steps, 'utf8').then(Number, () => 0);
  const training = r.code === 0 ? (JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8')) as { training: { backend: string; workers: number } }).training : null;
  return { ...r, ortSteps, training };
}

describe('cnnkit train: one rule chooses the engine, and the run says which and why', () => {
  it('auto: the tutorial CNN, which ORT covers, trains on ORT (every step through onnxruntime)', async () => {
    const r = await train('auto-ort', []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^train: engine ORT \(onnxruntime-node [\d.]+, wasm for the data\): covers every layer of the model, the fastest CPU engine/m);
    expect(r.ortSteps).toBeGreaterThan(0);
    expect(r.training).toMatchObject({ backend: 'onnx', workers: 1 });
  }, 120_000);

  it('auto: a model ORT cannot compile trains on the next engine, wasm, and the line names what ORT lacks', async () => {
    const r = await train('auto-next', ['--model', keepdims]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^train: engine (data-parallel wasm x\d \(worker threads\)|wasm, one instance on this thread): .*ORT cannot train this model: compileTrainingGraph: GlobalAveragePooling2D "global_average_pooling2d" has keepdims true/m);
    expect(r.ortSteps).toBe(0);
    expect(r.training?.backend).toBe('wasm');
  }, 120_000);

  it('a named backend is obeyed: wasm with --workers 1 (one instance), cpu; --workers alone asks for worker threads', async () => {
    const wasm = await train('named-wasm', ['--backend', 'wasm', '--workers', '1']);
    expect(wasm.code, wasm.stderr).toBe(0);
    expect(wasm.stderr).toMatch(/^train: engine wasm, one instance on this thread: asked for$/m);
    expect([wasm.ortSteps, wasm.training?.backend]).toEqual([0, 'wasm']);
    const cpu = await train('named-cpu', ['--backend', 'cpu', '--workers', '1']);
    expect(cpu.stderr).toMatch(/^train: engine cpu, one instance on this thread: asked for$/m);
    expect(cpu.training?.backend).toBe('cpu');
    const workers = await train('auto-workers', ['--workers', '2']);
    expect(workers.code, workers.stderr).toBe(0);
    expect(workers.stderr).toMatch(/^train: engine data-parallel wasm x2 \(worker threads\): .*ORT: a worker count was given, which asks for worker threads$/m);
    expect(workers.ortSteps).toBe(0);
  }, 180_000);

  it('--backend onnx on a model ORT cannot compile: one line naming the layer and the way out, nothing trained', async () => {
    const r = await train('named-onnx', ['--backend', 'onnx', '--model', keepdims]);
    expect(expectErrorLine(r)).toBe(
      'cnnkit: train: backend onnx cannot train model "keepdims": compileTrainingGraph: GlobalAveragePooling2D "global_average_pooling2d" has keepdims true; the ORT training engine supports keepdims false; use --backend wasm, or --backend auto, which picks the next engine',
    );
    expect(r.ortSteps).toBe(0);
  }, 60_000);
});
