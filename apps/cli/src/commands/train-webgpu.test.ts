import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webgpuBackend } from '@cnnkit/backend-webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, sampleDataDir } from '../test-utils/cnnkit.js';

// vitest.config.ts points Dawn at SwiftShader where there is no GPU; CI requires webgpu.
const availability = await webgpuBackend().isAvailable();
const required = (process.env.CNNKIT_REQUIRE_BACKENDS ?? '').split(',').includes('webgpu');

let dir: string;
let data: string;
let images: string[];

beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('train-webgpu', 24));
  images = (await readdir(join(data, 'circles'))).filter((f) => /\.(png|jpe?g|webp)$/.test(f)).slice(0, 2).map((f) => join(data, 'circles', f));
});

const flags = ['--epochs', '2', '--image-size', '16', '--batch-size', '8', '--augment', 'none', '--optimizer', 'adam', '--lr', '0.003'];
type Prediction = { file: string; class: string; probabilities: Record<string, number> };
type CamJson = { file: string; class: string; peak: [number, number]; heatmap: number[][] };

describe.skipIf(!availability.available && !required)('cnnkit on --backend webgpu: train, resume, evaluate, predict, cam, export', () => {
  it('trains with the same history as wasm, and every command reads the run on webgpu as on cpu/wasm', async () => {
    const run = join(dir, 'run-webgpu');
    const trained = await cnnkit(['train', data, '--out', run, '--backend', 'webgpu', ...flags]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/train: engine webgpu on .*: asked for/);
    if (availability.available && availability.adapter?.software) {
      // One line, not a failure: a software adapter works when asked for by name.
      expect(trained.stderr.split('\n').filter((l) => /runs on a software adapter/.test(l))).toHaveLength(1);
    }
    const wasmRun = join(dir, 'run-wasm');
    const reference = await cnnkit(['train', data, '--out', wasmRun, '--backend', 'wasm', '--workers', '1', ...flags]);
    expect(reference.code, reference.stderr).toBe(0);
    const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    const wasmHistory = JSON.parse(await readFile(join(wasmRun, 'history.json'), 'utf8')) as Record<string, number[]>;
    expect(history.loss).toHaveLength(2);
    // The same seed gives the same run: per step the backends agree to float32 rounding
    // (conformance suite); a wrong kernel would move these by far more than 1e-3.
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      for (const [i, v] of wasmHistory[key].entries()) expect(Math.abs(history[key][i] - v), `${key}[${i}]`).toBeLessThan(1e-3);
    }

    // Resume on webgpu continues the run: epochs 1-2 stay, epoch 3 is added.
    const resumed = await cnnkit(['train', data, '--out', run, '--resume', '--epochs', '3', '--backend', 'webgpu']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .* after epoch 2 of 3/);
    const longer = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    expect(longer.loss).toHaveLength(3);
    expect(longer.loss.slice(0, 2)).toEqual(history.loss);

    // The model trained on webgpu is an ordinary saved model: it loads on cpu and wasm.
    const model = join(run, 'model');
    const evaluate = async (backend: string) => {
      const r = await cnnkit(['evaluate', model, data, '--json', '--backend', backend]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { loss: number; accuracy: number; count: number };
    };
    const [onGpu, onWasm] = [await evaluate('webgpu'), await evaluate('wasm')];
    expect(onGpu.count).toBe(onWasm.count);
    expect(Math.abs(onGpu.loss - onWasm.loss)).toBeLessThan(1e-4);
    expect(onGpu.accuracy).toBe(onWasm.accuracy);

    const predict = async (backend: string) => {
      const r = await cnnkit(['predict', model, ...images, '--json', '--backend', backend]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Prediction[];
    };
    const [gpuRows, cpuRows] = [await predict('webgpu'), await predict('cpu')];
    for (const [i, row] of gpuRows.entries()) {
      expect(row.class).toBe(cpuRows[i].class);
      for (const [name, p] of Object.entries(row.probabilities)) expect(Math.abs(p - cpuRows[i].probabilities[name]), name).toBeLessThan(1e-4);
    }

    const cam = async (backend: string) => {
      const r = await cnnkit(['cam', model, images[0], '--out', join(dir, `cam-${backend}`), '--json', '--backend', backend]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as CamJson[])[0];
    };
    const [gpuCam, cpuCam] = [await cam('webgpu'), await cam('cpu')];
    expect(gpuCam.peak).toEqual(cpuCam.peak);
    for (const [r, row] of gpuCam.heatmap.entries()) for (const [c, v] of row.entries()) expect(Math.abs(v - cpuCam.heatmap[r][c])).toBeLessThan(1e-3);

    const exported = await cnnkit(['export', model, '--out', join(dir, 'model.onnx'), '--backend', 'webgpu']);
    expect(exported.code, exported.stderr).toBe(0);
    const diff = /against the model on webgpu: max abs difference (\S+) \(<= 0\.0001\)/.exec(exported.stdout);
    expect(diff, exported.stdout).not.toBeNull();
    expect(Number(diff![1])).toBeLessThanOrEqual(1e-4);
    // onnxruntime on the file agrees with the webgpu-trained model run on cpu as well.
    const onnx = await cnnkit(['predict', join(dir, 'model.onnx'), ...images, '--json', '--backend', 'onnx']);
    expect(onnx.code, onnx.stderr).toBe(0);
    for (const [i, row] of (JSON.parse(onnx.stdout) as Prediction[]).entries()) {
      for (const [name, p] of Object.entries(row.probabilities)) expect(Math.abs(p - cpuRows[i].probabilities[name]), name).toBeLessThan(1e-4);
    }
    // Each webgpu command compiles its shaders anew (SwiftShader: ~0.5 s of CPU per kernel).
  }, 600_000);
});
