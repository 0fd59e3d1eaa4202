import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, sampleDataDir, spawnCnnkit } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;

beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('resume', 24));
});

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Resolves once `file` exists (polling), or rejects when the child exits first. */
async function waitFor(file: string, child: ReturnType<typeof spawnCnnkit>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (!(await exists(file))) {
    if (exited) throw new Error(`cnnkit exited before ${file} appeared`);
    if (Date.now() - started > timeoutMs) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cnnkit train --resume after kill -9', () => {
  it('loses at most the current epoch, leaves no corrupt file, and the resumed history has every epoch once', async () => {
    const run = join(dir, 'run');
    const args = ['train', data, '--out', run, '--image-size', '16', '--batch-size', '4', '--epochs', '4', '--seed', '7'];
    const child = spawnCnnkit(args);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // The end of epoch 1 is marked by its complete checkpoint (training-state.json is written last).
    await waitFor(join(run, 'checkpoints', 'epoch-001', 'training-state.json'), child, 120_000);
    // Wait for epoch 2 to start (its progress line), then kill mid-epoch.
    const started = Date.now();
    while (!/Epoch 2\/4/.test(stderr) && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    const killed = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await killed;
    const before = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    expect(before.loss.length).toBeGreaterThanOrEqual(1);
    expect(before.loss.length).toBeLessThan(4);

    const resumed = await cnnkit([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resuming ".*" after epoch ${before.loss.length} of 4`));
    expect(resumed.stdout).toMatch(new RegExp(`resumed after epoch ${before.loss.length}`));

    const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(history[key], key).toHaveLength(4);
    // The epochs before the kill are kept as they were, not recomputed.
    expect(history.loss.slice(0, before.loss.length)).toEqual(before.loss);
    expect((await readdir(join(run, 'checkpoints'))).sort()).toEqual(['epoch-003', 'epoch-004']);
    const curves = await sharp(join(run, 'curves.png')).metadata();
    expect(curves.format).toBe('png');
    const summary = await cnnkit(['summary', run]);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toMatch(/Total params: 97,569/);
    // No temporary files left behind by the atomic writes.
    const leftovers = (await readdir(run, { recursive: true })).filter((f) => /\.tmp/.test(String(f)));
    expect(leftovers.filter((f) => !String(f).startsWith('checkpoints/epoch-00'))).toEqual([]);
  }, 240_000);

  it('a finished run resumed with a larger --epochs trains only the new epochs', async () => {
    const run = join(dir, 'run2');
    const base = ['train', data, '--out', run, '--image-size', '16', '--batch-size', '8', '--augment', 'none'];
    expect((await cnnkit([...base, '--epochs', '1'])).code).toBe(0);
    const more = await cnnkit([...base, '--epochs', '2', '--resume']);
    expect(more.code, more.stderr).toBe(0);
    expect(more.stderr).not.toMatch(/Epoch 1\/2/);
    expect(more.stderr).toMatch(/Epoch 2\/2/);
    const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    expect(history.loss).toHaveLength(2);
    const clash = await cnnkit([...base.slice(0, -2), '--augment', 'flip', '--resume']);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/was started with augment "none", received "flip"; drop the flag to resume it/);
  }, 180_000);
});
