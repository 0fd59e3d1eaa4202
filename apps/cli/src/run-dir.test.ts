import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './test-utils/cnnkit.js';

const runDir = pathToFileURL(fileURLToPath(new URL('../dist/run-dir.js', import.meta.url))).href;
const FILES = 1500;

async function checkpoint(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all(Array.from({ length: FILES }, (_, i) => writeFile(join(dir, `f${i}`), 'x')));
}

describe('pruning checkpoints', () => {
  // The kill -9 loop found an empty epoch-001-step-000006 folder after a kill: pruning
  // deleted the old checkpoints in place, file by file. This kills a pruning process
  // on purpose the moment the deletion shows (a hidden leftover, or a checkpoint folder
  // losing files), with folders big enough for that moment to come before the end.
  it('a kill during pruning leaves every checkpoint folder under its name whole (the deleted one is a hidden leftover)', async () => {
    const run = await tempDir('prune');
    const names = ['epoch-001', 'epoch-002', 'epoch-003'];
    for (const n of names) await checkpoint(join(run, 'checkpoints', n));
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import { pruneCheckpoints } from ${JSON.stringify(runDir)}; await pruneCheckpoints(${JSON.stringify(run)}, 1);`], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let killed = false;
    const dir = join(run, 'checkpoints');
    while (!killed && child.exitCode === null) {
      const entries = await readdir(dir);
      const started = entries.some((e) => e.startsWith('.')) || (await Promise.all(entries.map((e) => readdir(join(dir, e)).then((f) => f.length, () => FILES)))).some((n) => n < FILES);
      if (started) killed = child.kill('SIGKILL');
    }
    await exited;
    for (const name of (await readdir(dir)).filter((e) => !e.startsWith('.'))) {
      expect((await readdir(join(dir, name))).length, `${name} after the kill`).toBe(FILES);
    }
    // The newest stays; whatever the kill interrupted is either still whole or hidden.
    expect(await readdir(dir)).toContain('epoch-003');
  }, 60_000);
});
