import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, sampleDataDir, spawnCnnkit, until, watch } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;
beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('train-interrupt', 24));
});
const exists = (p: string) => stat(p).then(() => true, () => false);
const bytes = (p: string) => readFile(p);

/** The checkpoints of a run under their final names; each must be complete. */
async function completeCheckpoints(run: string): Promise<string[]> {
  const names = (await readdir(join(run, 'checkpoints'))).filter((n) => !n.startsWith('.')).sort();
  for (const n of names) expect((await readdir(join(run, 'checkpoints', n))).sort(), n).toEqual(['model.json', 'optimizer.safetensors', 'training-state.json', 'weights.safetensors']);
  return names;
}

describe('Ctrl-C and SIGTERM during an epoch', () => {
  // Augmentation on, so the resumed steps must also redraw the same transforms.
  const flags = (run: string, ...more: string[]) => ['train', data, '--out', run, '--image-size', '16', '--batch-size', '2', '--epochs', '2', '--seed', '5', '--augment', 'flip,rotate=0.1', '--save-every', '2', ...more];

  it.each([
    ['SIGINT', 130, 'wasm', '1'],
    ['SIGTERM', 143, 'cpu', '1'],
    ['SIGINT', 130, 'wasm', '2'],
  ] as const)('%s (exit %i) on %s with --workers %s: the step finishes, a checkpoint is written; --resume ends bit-identical to an uninterrupted run', async (signal, code, backend, workers) => {
    const straight = join(dir, `straight-${backend}-${workers}`);
    const u = await cnnkit(flags(straight, '--backend', backend, '--workers', workers));
    expect(u.code, u.stderr).toBe(0);

    const run = join(dir, `stopped-${signal}-${backend}-${workers}`);
    const child = spawnCnnkit(flags(run, '--backend', backend, '--workers', workers));
    const w = watch(child);
    // Once the checkpoint of epoch 1, step 2 is there, 38 steps remain: the signal lands inside epoch 1 or 2.
    await until(() => exists(join(run, 'checkpoints', 'epoch-001-step-000002')), w.exit, 'the checkpoint at epoch 1, step 2');
    child.kill(signal);
    const exit = await w.exit;
    expect(exit.code, w.stderr()).toBe(code);
    const last = w.stderr().trim().split('\n').pop()!;
    expect(last).toMatch(
      new RegExp(`^cnnkit: train: stopped by ${signal}; checkpoint ".*/checkpoints/epoch-00(\\d)-step-(\\d{6})" \\(epoch \\1, step (\\d+)\\) holds the run; continue it with: cnnkit train \\S+ --out \\S+ --resume$`),
    );
    expect(w.stderr()).toContain(`train: ${signal} received: finishing the step in progress and writing a checkpoint`);
    const [, name, epoch, step] = /(epoch-00(\d)-step-(\d{6}))"/.exec(last)!.map((v, i) => (i < 2 ? v : Number(v))) as [string, string, number, number];
    expect(epoch === 2 || step > 2).toBe(true);
    // The newest two: the stop's, and the one before it.
    const kept = await completeCheckpoints(run);
    expect(kept).toHaveLength(2);
    expect(kept[1]).toBe(name);
    expect(await exists(join(run, '.cnnkit-lock'))).toBe(false);
    expect(await exists(join(run, 'model'))).toBe(false);

    const resumed = await cnnkit([...flags(run, '--backend', backend, '--workers', workers), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`in epoch ${epoch} of 2 after step ${step}`);
    expect((await bytes(join(run, 'model', 'weights.safetensors'))).equals(await bytes(join(straight, 'model', 'weights.safetensors')))).toBe(true);
    expect(JSON.parse(await readFile(join(run, 'history.json'), 'utf8'))).toEqual(JSON.parse(await readFile(join(straight, 'history.json'), 'utf8')));
  }, 240_000);

  it('a second Ctrl-C stops at once: exit 130, the lock released, only complete checkpoints under their names; --resume then finishes', async () => {
    const run = join(dir, 'twice');
    const long = [...flags(run, '--workers', '1', '--save-every', '3'), '--epochs', '30'];
    const child = spawnCnnkit(long);
    const w = watch(child);
    await until(() => exists(join(run, 'checkpoints', 'epoch-001-step-000003')), w.exit, 'a checkpoint inside epoch 1');
    child.kill('SIGINT');
    // Apart, so the kernel delivers two signals instead of merging them into one.
    await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const exit = await w.exit;
    expect(exit.code, w.stderr()).toBe(130);
    expect(w.stderr()).toMatch(/train: SIGINT again: stopping at once; every checkpoint under its final name is complete/);
    const names = await completeCheckpoints(run);
    expect(names.length).toBeGreaterThan(0);
    expect(await exists(join(run, '.cnnkit-lock'))).toBe(false);
    const resumed = await cnnkit([...long.slice(0, -2), '--epochs', '2', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/taking over the lock/);
    expect((JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>).loss).toHaveLength(2);
    // Staging folders a stop left are gone once the run is resumed.
    expect((await readdir(join(run, 'checkpoints'))).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 180_000);
});
