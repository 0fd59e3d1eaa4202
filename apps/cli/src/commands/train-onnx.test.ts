import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, sampleDataDir } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;

beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('train-onnx', 24));
});

describe('cnnkit train --backend onnx (the ORT training engine)', () => {
  // The two engines give the same history, so the history alone cannot show that ORT
  // ran: a preload counts the ORT training sessions' steps (test-utils/count-ort-steps.mjs).
  const countSteps = fileURLToPath(new URL('../test-utils/count-ort-steps.mjs', import.meta.url));

  it('trains the same model as wasm, in ORT: one ORT step per batch, and the same history and evaluation within 1e-3', async () => {
    const flags = ['--epochs', '2', '--image-size', '16', '--batch-size', '8', '--augment', 'none', '--optimizer', 'sgd', '--lr', '0.01'];
    const runs: Record<string, { history: Record<string, number[]>; evaluation: { loss: number; accuracy: number } }> = {};
    for (const backend of ['onnx', 'wasm']) {
      const run = join(dir, `run-${backend}`);
      const stepsFile = join(dir, `ort-steps-${backend}.txt`);
      const trained = await cnnkit(['train', data, '--out', run, '--backend', backend, ...flags], {
        env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${countSteps}`.trim(), CNNKIT_TEST_ORT_STEPS: stepsFile },
      });
      expect(trained.code, trained.stderr).toBe(0);
      // 2 epochs of ceil(training images / batch 8) steps, every one through ORT on onnx, none on wasm.
      const images = /train: Found \d+ files belonging to \d+ classes; using (\d+) for training/.exec(trained.stderr);
      expect(images, trained.stderr).not.toBeNull();
      const steps = 2 * Math.ceil(Number(images![1]) / 8);
      expect(Number(await readFile(stepsFile, 'utf8')), `ORT training steps on ${backend}`).toBe(backend === 'onnx' ? steps : 0);
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
