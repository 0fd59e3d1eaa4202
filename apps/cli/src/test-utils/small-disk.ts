import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultInjection, type CnnkitOptions } from './cnnkit.js';

/** A folder on a disk of `bytes`: a real tmpfs where this machine lets us mount one, else fault-injection.mjs's simulated disk. */
export interface SmallDisk {
  dir: string;
  /** `real`: a mounted tmpfs; `simulated`: the cnnkit process must be started with `options`. */
  kind: 'real' | 'simulated';
  options: CnnkitOptions;
  /** Bytes still free on it. */
  free(): Promise<number>;
  /** Writes a filler file that leaves `leave` bytes free (as another program filling the disk would). */
  fill(leave?: number): Promise<void>;
  /** Removes the filler. */
  unfill(): Promise<void>;
  remove(): Promise<void>;
}

async function used(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? await used(p) : ((await stat(p).catch(() => null))?.size ?? 0);
  }
  return total;
}

function filler(dir: string, free: () => Promise<number>) {
  const file = join(dir, 'filler');
  return {
    free,
    async fill(leave = 0) {
      await writeFile(file, Buffer.alloc(Math.max(0, (await free()) - leave)));
    },
    unfill: () => rm(file, { force: true }),
  };
}

/**
 * Mounting needs root and a kernel that allows it (CI's machines do); CNNKIT_TEST_NO_MOUNT=1
 * forces the simulated disk, so both paths can be tested on one machine.
 */
export async function smallDisk(bytes: number): Promise<SmallDisk> {
  const dir = await mkdtemp(join(tmpdir(), 'cnnkit-disk-'));
  if (process.env.CNNKIT_TEST_NO_MOUNT !== '1' && process.getuid?.() === 0) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' });
      return {
        dir,
        kind: 'real',
        options: {},
        ...filler(dir, async () => {
          const s = await statfs(dir);
          return s.bavail * s.bsize;
        }),
        async remove() {
          execFileSync('umount', [dir], { stdio: 'ignore' });
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch {
      // Not allowed here (a container without CAP_SYS_ADMIN): simulate it.
    }
  }
  return {
    dir,
    kind: 'simulated',
    options: { node: faultInjection, env: { CNNKIT_FAKE_DISK: `${dir}:${bytes}` } },
    ...filler(dir, async () => Math.max(0, bytes - (await used(dir)))),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Options that make writes to paths matching `pattern` fail with `code` (EIO, EROFS, ENOSPC...). */
export function failingWrites(code: string, pattern: RegExp): CnnkitOptions {
  return { node: faultInjection, env: { CNNKIT_FAIL_WRITES: `${code}:${pattern.source}` } };
}
