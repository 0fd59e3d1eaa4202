import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRun } from './run-lock.js';

const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
afterAll(() => void sleeper.kill('SIGKILL'));

/** A pid that ran on this host and no longer does. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

const fresh = () => mkdtemp(join(tmpdir(), 'cnnkit-lock-'));

describe('lockRun', () => {
  it('holds the run for this process and writes who holds it; release removes the lock', async () => {
    const run = await fresh();
    const lock = await lockRun(run, 'train', () => {});
    const owner = JSON.parse(await readFile(join(run, LOCK_FILE), 'utf8'));
    expect([owner.pid, owner.host]).toEqual([process.pid, hostname()]);
    expect(Date.now() - Date.parse(owner.since)).toBeLessThan(60_000);
    await lock.release();
    expect(await readdir(run)).toEqual([]);
  });

  it('a lock of a live process fails at once, naming its pid, host and since when; the lock is left as it was', async () => {
    const run = await fresh();
    const held = { pid: sleeper.pid, host: hostname(), since: '2026-12-04T03:00:00.000Z', command: 'train d --out r' };
    await writeFile(join(run, LOCK_FILE), JSON.stringify(held));
    await expect(lockRun(run, 'train', () => {})).rejects.toThrow(
      `train: "${run}" is in use by another cnnkit process (pid ${sleeper.pid} on this host, since 2026-12-04T03:00:00.000Z); wait for it to finish or stop it, then run the command again (or use another --out)`,
    );
    expect(JSON.parse(await readFile(join(run, LOCK_FILE), 'utf8'))).toEqual(held);
    expect(await readdir(run)).toEqual([LOCK_FILE]);
  });

  it('a lock of another host is never taken over (its pid says nothing here)', async () => {
    const run = await fresh();
    await writeFile(join(run, LOCK_FILE), JSON.stringify({ pid: await deadPid(), host: 'elsewhere', since: '2026-12-04T03:00:00.000Z', command: '' }));
    await expect(lockRun(run, 'train', () => {})).rejects.toThrow(/in use by another cnnkit process \(pid \d+ on host elsewhere, since 2026-12-04T03:00:00.000Z\)/);
  });

  it('a stale lock (its process is gone: kill -9, power loss) is taken over with a one-line notice', async () => {
    const run = await fresh();
    const pid = await deadPid();
    await writeFile(join(run, LOCK_FILE), JSON.stringify({ pid, host: hostname(), since: '2026-12-04T03:00:00.000Z', command: '' }));
    const lines: string[] = [];
    const lock = await lockRun(run, 'train', (l) => lines.push(l));
    expect(lines).toEqual([`train: taking over the lock of "${run}" from process ${pid} (since 2026-12-04T03:00:00.000Z), which no longer runs`]);
    expect(JSON.parse(await readFile(join(run, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.releaseSync();
    expect(await readdir(run)).toEqual([]);
  });

  it('a lock whose pid now runs another program (pid reused after a reboot) is stale too', async () => {
    const run = await fresh();
    await writeFile(join(run, LOCK_FILE), JSON.stringify({ pid: sleeper.pid, host: hostname(), since: '2026-12-04T03:00:00.000Z', command: '', script: '/opt/cnnkit/dist/bin.js' }));
    const lines: string[] = [];
    const lock = await lockRun(run, 'train', (l) => lines.push(l));
    expect(lines).toEqual([`train: taking over the lock of "${run}" from process ${sleeper.pid} (since 2026-12-04T03:00:00.000Z), which no longer runs`]);
    await lock.release();
  });

  it('an unreadable lock file is not guessed at: the message says how to clear it', async () => {
    const run = await fresh();
    await writeFile(join(run, LOCK_FILE), 'not json');
    await expect(lockRun(run, 'train', () => {})).rejects.toThrow(`train: the lock file "${join(run, LOCK_FILE)}" of the run is unreadable, so another cnnkit may be training it; if none is, delete that file and run the command again`);
  });
});
