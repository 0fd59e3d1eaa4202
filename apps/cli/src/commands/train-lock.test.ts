import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, expectErrorLine, sampleDataDir, spawnCnnkit, until, watch } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;
beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('train-lock', 24));
});
const exists = (p: string) => stat(p).then(() => true, () => false);

describe('one process per run folder', () => {
  it('a second train (fresh or --resume) on a run in training fails at once naming the first; after a kill -9 the next --resume takes the stale lock over', async () => {
    const run = join(dir, 'run');
    const args = ['train', data, '--out', run, '--image-size', '16', '--batch-size', '2', '--epochs', '40', '--workers', '1', '--save-every', 'epoch'];
    const first = spawnCnnkit(args);
    const w = watch(first);
    await until(() => exists(join(run, 'checkpoints', 'epoch-001', 'training-state.json')), w.exit, 'the first checkpoint');
    const before = (await readdir(join(run, 'checkpoints'))).sort();

    for (const extra of [['--resume'], []]) {
      const second = await cnnkit([...args, ...extra]);
      expect(expectErrorLine(second)).toMatch(
        new RegExp(`^cnnkit: train: ".*/run" is in use by another cnnkit process \\(pid ${first.pid} on this host, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\); wait for it to finish or stop it, then run the command again \\(or use another --out\\)$`),
      );
      expect(second.stderr).not.toMatch(/Epoch/);
    }
    // The second processes changed nothing: the first still owns the lock and its checkpoints.
    expect(JSON.parse(await readFile(join(run, '.cnnkit-lock'), 'utf8')).pid).toBe(first.pid);
    // (the first trains on meanwhile: only its own epoch checkpoints appear)
    expect((await readdir(join(run, 'checkpoints'))).filter((n) => !n.startsWith('.') && !/^epoch-\d{3}$/.test(n))).toEqual([]);
    expect(before).toContain('epoch-001');

    first.kill('SIGKILL');
    await w.exit;
    expect(await exists(join(run, '.cnnkit-lock'))).toBe(true);
    const done = Math.max(...(await readdir(join(run, 'checkpoints'))).map((n) => Number(/^epoch-(\d{3})$/.exec(n)?.[1] ?? 0)));
    const resumed = await cnnkit([...args.slice(0, 8), '--epochs', String(done + 1), ...args.slice(10), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`train: taking over the lock of ".*/run" from process ${first.pid} \\(since [^)]+\\), which no longer runs`));
    expect(resumed.stderr.match(/taking over/g)).toHaveLength(1);
    const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    expect(history.loss).toHaveLength(done + 1);
    // Released at the end: the next command finds the run free.
    expect(await exists(join(run, '.cnnkit-lock'))).toBe(false);
  }, 180_000);
});
