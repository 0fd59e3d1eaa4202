import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirs } from './make-dirs.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cnnkit-make-dirs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function isDir(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}

describe('makeDirs', () => {
  it('creates every missing level, and again is a no-op', async () => {
    const dir = join(root, 'a', 'b', 'c');
    await makeDirs(dir);
    expect(await isDir(dir)).toBe(true);
    await makeDirs(dir);
    await makeDirs(join(root, 'a'));
    expect(await isDir(dir)).toBe(true);
  });

  it('a relative path is taken from the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await makeDirs('rel/x');
    } finally {
      process.chdir(cwd);
    }
    expect(await isDir(join(root, 'rel', 'x'))).toBe(true);
  });

  it('a file in the way is ENOTDIR, whether it is the folder itself or a parent', async () => {
    const file = join(root, 'file.txt');
    await writeFile(file, 'x');
    await expect(makeDirs(file)).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeDirs(join(file, 'sub', 'deeper'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it.runIf(process.platform === 'linux')('under /proc it rejects promptly instead of hanging as mkdir -p does on Node 20', async () => {
    const settled = await Promise.race([
      makeDirs('/proc/self/cnnkit-no-such/dir').then(
        () => 'created',
        (e: NodeJS.ErrnoException) => e.code ?? 'error',
      ),
      new Promise<string>((r) => setTimeout(() => r('hung'), 5000)),
    ]);
    // A file-system error code (ENOENT), not 'hung', not success, not a programming error.
    expect(settled).toMatch(/^E[A-Z]+$/);
  });
});
