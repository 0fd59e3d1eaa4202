import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchitectureFile } from './architecture-file.js';
import { tempDir } from './test-utils/cnnkit.js';

describe('readArchitectureFile', () => {
  it('reads a regular file', async () => {
    const file = join(await tempDir('arch'), 'arch.json');
    await writeFile(file, '{"className": "Sequential"}');
    expect(await readArchitectureFile(file)).toBe('{"className": "Sequential"}');
  });

  it.each([
    ['/dev/zero, which never ends', async () => '/dev/zero', 'not a regular file'],
    ['a FIFO, which blocks', async () => {
      const fifo = join(await tempDir('arch'), 'arch.json');
      execFileSync('mkfifo', [fifo]);
      return fifo;
    }, 'not a regular file'],
    ['a file over 16 MiB', async () => {
      const big = join(await tempDir('arch'), 'big.json');
      await writeFile(big, Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
      return big;
    }, '16777217 bytes, over the 16777216 an architecture file may have'],
  ])('refuses %s before reading it', async (_name, path, code) => {
    await expect(readArchitectureFile(await path())).rejects.toMatchObject({ code });
  });
});
