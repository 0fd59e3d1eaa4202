import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeOnnx } from './write-onnx.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-write-onnx-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeOnnx', () => {
  it('writes the bytes and leaves no temporary file', async () => {
    const path = join(dir, 'model.onnx');
    await writeOnnx(path, new Uint8Array([8, 7, 6]));
    expect([...(await readFile(path))]).toEqual([8, 7, 6]);
    expect(await readdir(dir)).toEqual(['model.onnx']);
  });

  it('replaces an existing file whole', async () => {
    const path = join(dir, 'model.onnx');
    await writeFile(path, 'old contents that are longer');
    await writeOnnx(path, new Uint8Array([1]));
    expect([...(await readFile(path))]).toEqual([1]);
  });

  it('fails without leaving a temporary file when the target cannot be renamed over (a directory)', async () => {
    const path = join(dir, 'taken');
    await writeFile(join(dir, 'keep'), 'x');
    await import('node:fs/promises').then((fs) => fs.mkdir(path));
    await writeFile(join(path, 'inside'), 'x');
    await expect(writeOnnx(path, new Uint8Array([1]))).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['keep', 'taken']);
  });
});
