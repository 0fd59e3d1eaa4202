import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, sampleDataDir } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;

beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('train-onnx', 24));
});

describe('cnnkit train --backend onnx (the ORT training engine)', () => {
  it('trains the same model as wasm: the same seed gives the same history and evaluation within 1e-3', async () => {
    const flags = ['--epochs', '2', '--image-size', '16', '--batch-size', '8', '--augment', 'none', '--optimizer', 'sgd', '--lr', '0.01'];
    const runs: Record<string, { history: Record<string, number[]>; evaluation: { loss: number; accuracy: number } }> = {};
    for (const backend of ['onnx', 'wasm']) {
      const run = join(dir, `run-${backend}`);
      const trained = await cnnkit(['train', data, '--out', run, '--backend', backend, ...flags]);
      expect(trained.code, trained.stderr).toBe(0);
      const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
      const evaluated = await cnnkit(['evaluate', join(run, 'model'), data, '--json', '--backend', 'wasm']);
      expect(evaluated.code, evaluated.stderr).toBe(0);
      runs[backend] = { history, evaluation: JSON.parse(evaluated.stdout) as { loss: number; accuracy: number } };
    }
    expect(runs.onnx.history.loss).toHaveLength(2);
    // Per step the engines agree within 1e-4 (backend-onnx's parity tests); over
    // two epochs of SGD the drift stays far below what a wrong gradient would give.
    for (const key of ['loss', 'val_loss']) {
      for (const [i, v] of runs.wasm.history[key].entries()) expect(Math.abs(runs.onnx.history[key][i] - v), `${key}[${i}]`).toBeLessThan(1e-3);
    }
    expect(Math.abs(runs.onnx.evaluation.loss - runs.wasm.evaluation.loss)).toBeLessThan(1e-3);
  });
});
