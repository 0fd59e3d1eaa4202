import { unlinkSync } from 'node:fs';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { UserError } from './user-error.js';

/** The lock file of a run folder: who holds it (one process per run). */
export const LOCK_FILE = '.cnnkit-lock';

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  since: string;
  command: string;
  /** The holder's script (process.argv[1]), to tell it from another program that got its pid later. */
  script?: string;
}

/**
 * Whether the holder still runs on this host: its pid exists (signal 0 tests without
 * sending) and, where /proc shows it, still runs the holder's script: after a reboot or
 * a long time the pid may belong to another program.
 */
async function alive(owner: LockOwner): Promise<boolean> {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: runs, as another user
  }
  if (owner.script === undefined) return true;
  const cmdline = await readFile(`/proc/${owner.pid}/cmdline`, 'utf8').catch(() => null);
  // By file name: the command line holds the script as typed (relative, through a symlink).
  return cmdline === null || cmdline.split('\0').some((arg) => basename(arg) === basename(owner.script!));
}

async function readOwner(file: string): Promise<LockOwner | null | 'gone'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' && typeof o.since === 'string' ? o : null;
  } catch {
    return null;
  }
}

/** A held lock: `release` when done; `releaseSync` for an exit that cannot wait. */
export interface RunLock {
  release(): Promise<void>;
  releaseSync(): void;
}

/**
 * Takes the lock of run folder `run` for this process, for as long as it trains.
 * Another live process holding it fails this at once, in one line naming it (pid,
 * host, since when). A lock whose process no longer runs on this host (kill -9,
 * power loss) is stale: it is taken over, with a one-line notice through `log`.
 *
 * The lock file is made complete (written aside, then hard-linked into place, which
 * fails if one exists), so no reader ever sees an empty or half-written lock.
 * Liveness is the holder's pid, not a heartbeat: a training step may keep the event
 * loop busy for minutes, and a heartbeat lock would then look stale while in use.
 */
export async function lockRun(run: string, operation: string, log: (line: string) => void): Promise<RunLock> {
  const file = join(run, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: process.argv.slice(2).join(' '), script: process.argv[1] };
  const draft = `${file}.${process.pid}.new`;
  await writeFile(draft, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(draft, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      }
      const owner = await readOwner(file);
      if (owner === 'gone') continue; // released meanwhile
      if (owner === null) {
        throw new UserError(`${operation}: the lock file "${file}" of the run is unreadable, so another cnnkit may be training it; if none is, delete that file and run the command again`);
      }
      const stale = owner.host === me.host && owner.pid !== process.pid && !(await alive(owner));
      if (!stale) {
        const where = owner.host === me.host ? 'on this host' : `on host ${owner.host}`;
        throw new UserError(
          `${operation}: "${run}" is in use by another cnnkit process (pid ${owner.pid} ${where}, since ${owner.since}); wait for it to finish or stop it, then run the command again (or use another --out)`,
        );
      }
      // Moved aside first, so of two processes taking over at once only one removes it.
      const aside = `${file}.stale-${process.pid}`;
      try {
        await rename(file, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      await rm(aside, { force: true });
      log(`${operation}: taking over the lock of "${run}" from process ${owner.pid} (since ${owner.since}), which no longer runs`);
    }
  } finally {
    await rm(draft, { force: true });
  }
  let held = true;
  const mine = async () => {
    const owner = await readOwner(file).catch(() => null);
    return owner !== null && owner !== 'gone' && owner.pid === me.pid && owner.since === me.since;
  };
  return {
    async release() {
      if (!held) return;
      held = false;
      if (await mine()) await rm(file, { force: true });
    },
    releaseSync() {
      if (!held) return;
      held = false;
      try {
        unlinkSync(file);
      } catch {
        // Gone already: nothing to release.
      }
    },
  };
}
