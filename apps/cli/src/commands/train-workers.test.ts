import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, sampleDataDir } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;

beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('train-workers', 24));
});

const flags = ['--image-size', '16', '--batch-size', '7', '--seed', '3'];
const history = async (run: string) => JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;

describe('cnnkit train --workers (data-parallel wasm)', () => {
  it('2 workers train the tutorial CNN as one instance does (losses within 1e-4), and say so', async () => {
    const runs: Record<string, Record<string, number[]>> = {};
    for (const workers of ['1', '2']) {
      const run = join(dir, `run-${workers}`);
      const r = await cnnkit(['train', data, '--out', run, '--backend', 'wasm', '--workers', workers, '--epochs', '2', ...flags]);
      expect(r.code, r.stderr).toBe(0);
      if (workers === '2') {
        expect(r.stderr).toMatch(/train: engine data-parallel wasm x2 \(worker threads\)/);
        expect(r.stdout).toMatch(/trained 2 epochs on wasm x2 \(data-parallel\)/);
      } else {
        expect(r.stderr).not.toMatch(/data-parallel/);
      }
      runs[workers] = await history(run);
    }
    for (const key of ['loss', 'val_loss']) {
      for (const [i, v] of runs['1'][key].entries()) expect(Math.abs(runs['2'][key][i] - v), `${key}[${i}]`).toBeLessThanOrEqual(1e-4);
    }
  }, 180_000);

  it('a run resumed from its checkpoint ends with the weights of an uninterrupted run', async () => {
    const straight = join(dir, 'straight');
    const resumed = join(dir, 'resumed');
    const common = ['--backend', 'wasm', '--workers', '2', ...flags];
    expect((await cnnkit(['train', data, '--out', straight, '--epochs', '2', ...common])).code).toBe(0);
    expect((await cnnkit(['train', data, '--out', resumed, '--epochs', '1', ...common])).code).toBe(0);
    const more = await cnnkit(['train', data, '--out', resumed, '--epochs', '2', '--resume', ...common]);
    expect(more.code, more.stderr).toBe(0);
    expect(more.stdout).toMatch(/resumed after epoch 1/);
    const weights = (run: string) => readFile(join(run, 'model', 'weights.safetensors'));
    expect((await weights(resumed)).equals(await weights(straight))).toBe(true);
    const [a, b] = [await history(resumed), await history(straight)];
    expect(a.loss).toEqual(b.loss);
    expect(a.accuracy).toEqual(b.accuracy);
    // Validation runs on the main thread; even one instance differs there by ~1e-8 after a resume.
    for (const [i, v] of b.val_loss.entries()) expect(Math.abs(a.val_loss[i] - v)).toBeLessThanOrEqual(1e-6);
  }, 180_000);
});
