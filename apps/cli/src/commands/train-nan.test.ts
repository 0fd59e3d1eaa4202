import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSafetensors } from '@cnnkit/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, sampleDataDir, type RunResult } from '../test-utils/cnnkit.js';

/**
 * `cnnkit train` with a learning rate so large that training diverges to NaN: it must
 * stop with exit code 1 and one line that says so (no stack), save nothing of the
 * epoch that went wrong (no model/, no checkpoint, no history entry), and leave the
 * checkpoints of the epochs before it usable.
 *
 * SGD at --lr 1e30 throws the weights to ~1e28 on the first step. On cpu the next
 * forward pass overflows and the loss is NaN. On wasm, XNNPACK's relu and max-pool
 * turn NaN into numbers, so the loss stays finite (8.68) while the second step makes
 * every weight NaN: the run must catch that from the weights, not the loss.
 */
let root: string;
let data: string;

beforeAll(async () => {
  // 16 pictures: 13 train and 3 validation pictures with --validation-split 0.2.
  ({ dir: root, data } = await sampleDataDir('train-nan', 8));
});

const diverge = ['--image-size', '16', '--optimizer', 'sgd', '--lr', '1e30', '--augment', 'none', '--validation-split', '0.2', '--seed', '1337'];

/** The error line: exit code 1, the last line of stderr, and no stack frames anywhere. */
function errorLine(r: RunResult): string {
  expect(r.code, `expected exit code 1, received ${r.code}; stderr:\n${r.stderr}`).toBe(1);
  expect(r.stderr, 'stack frames on stderr').not.toMatch(/\n\s+at |internal error/);
  return r.stderr.trim().split('\n').at(-1)!;
}

describe('cnnkit train: a diverging run (NaN)', () => {
  it('on wasm (one step per epoch): stops in epoch 2 on the NaN weights and keeps the epoch 1 checkpoint, which loads and measures what training measured', async () => {
    const run = join(root, 'run-wasm');
    const r = await cnnkit(['train', data, '--out', run, '--backend', 'wasm', '--epochs', '4', '--batch-size', '64', ...diverge]);
    expect(errorLine(r)).toMatch(
      /^cnnkit: train: training diverged in epoch 2: weight conv2d(_\d)?\/(kernel|bias) became NaN \(the loss was [\d.]+\), expected finite numbers \(--optimizer sgd, --lr 1e\+30\); the run's checkpoints end at epoch 1 \(in ".*run-wasm[/\\]checkpoints"\), nothing of epoch 2 was saved; lower --lr and start a new run with another --out$/,
    );
    expect((await readdir(run)).sort()).toEqual(['checkpoints', 'curves.png', 'history.json', 'train-config.json']);
    expect(await readdir(join(run, 'checkpoints'))).toEqual(['epoch-001']);
    const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    for (const [key, values] of Object.entries(history)) {
      expect(values, `history.json ${key}: expected epoch 1 only, with a finite value`).toHaveLength(1);
      expect(Number.isFinite(values[0]), `history.json ${key}: ${values[0]}`).toBe(true);
    }
    const checkpoint = join(run, 'checkpoints', 'epoch-001');
    const file = join(checkpoint, 'weights.safetensors');
    const { tensors } = decodeSafetensors(await readFile(file), file);
    expect(tensors.size).toBe(10); // 4 conv layers and the dense layer, kernel and bias each
    for (const [name, t] of tensors) expect(t.data.every(Number.isFinite), `${name} in ${file}: expected finite values`).toBe(true);
    // The checkpoint is a model the other commands load: on the same held-out pictures it
    // measures the validation loss training logged for epoch 1.
    const evaluated = await cnnkit(['evaluate', checkpoint, data, '--validation-split', '0.2', '--seed', '1337', '--backend', 'wasm', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { loss: number; count: number };
    expect(report.count).toBe(3);
    expect(Math.abs(report.loss - history.val_loss[0]), `evaluate loss ${report.loss} vs history val_loss ${history.val_loss[0]}`).toBeLessThanOrEqual(1e-4);
  });

  it('on cpu (several steps per epoch): stops at the batch whose loss is NaN, in epoch 1, with no checkpoint and no model', async () => {
    const run = join(root, 'run-cpu');
    const r = await cnnkit(['train', data, '--out', run, '--backend', 'cpu', '--epochs', '2', '--batch-size', '4', ...diverge]);
    expect(errorLine(r)).toBe(
      'cnnkit: train: training diverged in epoch 1: the loss became NaN at step 2, expected finite numbers (--optimizer sgd, --lr 1e+30); no epoch finished, so there is no checkpoint; lower --lr and start a new run with another --out',
    );
    // Only the run's settings: nothing trained was saved.
    expect(await readdir(run)).toEqual(['train-config.json']);
  });
});
