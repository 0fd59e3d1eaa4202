import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkImages } from './check-images.js';
import { quarantine } from './quarantine.js';
import { hashTree, jpegOf, noiseRgb, pngOf, put, solid, tempDir } from './test-utils/fixtures.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};

beforeEach(async () => {
  const t = await tempDir();
  root = t.path;
  cleanup = t.cleanup;
  const jpeg = await jpegOf(noiseRgb(64, 64), 64, 64);
  await Promise.all([
    put(root, 'data/cat/good.jpg', jpeg),
    put(root, 'data/cat/half.jpg', jpeg.subarray(0, jpeg.length >> 1)),
    put(root, 'data/dog/deep/empty.png', Buffer.alloc(0)),
    put(root, 'data/dog/good.png', await pngOf(solid(4, 4, [9, 9, 9]), 4, 4)),
    put(root, 'data/dog/Thumbs.db', 'x'),
  ]);
});
afterEach(() => cleanup());

describe('quarantine', () => {
  it('moves exactly the broken files, keeping their relative paths and bytes', async () => {
    const data = join(root, 'data');
    const q = join(root, 'q');
    const before = await hashTree(data);
    const report = await checkImages(data);
    const result = await quarantine(report, data, q);
    expect(result.failed).toEqual([]);
    expect(result.moved.map((m) => m.file)).toEqual(['cat/half.jpg', 'dog/deep/empty.png']);
    const after = await hashTree(data);
    expect(Object.keys(after).sort()).toEqual(['cat/good.jpg', 'dog/Thumbs.db', 'dog/good.png']);
    for (const [file, hash] of Object.entries(after)) expect(hash).toBe(before[file]);
    const moved = await hashTree(q);
    expect(moved).toEqual({ 'cat/half.jpg': before['cat/half.jpg'], 'dog/deep/empty.png': before['dog/deep/empty.png'] });
  });

  it('never overwrites a file already in the quarantine', async () => {
    const data = join(root, 'data');
    const q = join(root, 'q');
    await put(q, 'cat/half.jpg', 'an older quarantined file');
    const result = await quarantine(await checkImages(data), data, q);
    expect(result.moved.find((m) => m.file === 'cat/half.jpg')?.to).toBe(join(q, 'cat/half.1.jpg'));
    expect(await readFile(join(q, 'cat/half.jpg'), 'utf8')).toBe('an older quarantined file');
  });

  it('reports a listed file that is gone instead of failing the rest', async () => {
    const data = join(root, 'data');
    const report = { files: 2, valid: 0, broken: [{ file: 'cat/gone.jpg', reason: 'x' }, { file: 'cat/half.jpg', reason: 'y' }], ignored: [] };
    const result = await quarantine(report, data, join(root, 'q'));
    expect(result.failed).toEqual([{ file: 'cat/gone.jpg', reason: 'ENOENT' }]);
    expect(result.moved.map((m) => m.file)).toEqual(['cat/half.jpg']);
  });

  it('refuses a quarantine folder inside the data folder', async () => {
    const data = join(root, 'data');
    await expect(quarantine(await checkImages(data), data, join(data, 'broken'))).rejects.toThrow(/quarantine: the quarantine folder .* is inside the data folder/);
    expect(Object.keys(await hashTree(data))).toHaveLength(5);
  });

  it('moves across devices by copy, verify, unlink (EXDEV)', async (ctx) => {
    const data = join(root, 'data');
    const other = await stat('/dev/shm').catch(() => null);
    if (other === null || other.dev === (await stat(root)).dev) ctx.skip();
    const q = await mkdtemp('/dev/shm/cnnkit-q-');
    try {
      const before = await hashTree(data);
      const result = await quarantine(await checkImages(data), data, q);
      expect(result.failed).toEqual([]);
      expect(await hashTree(q)).toEqual({ 'cat/half.jpg': before['cat/half.jpg'], 'dog/deep/empty.png': before['dog/deep/empty.png'] });
      expect(Object.keys(await hashTree(data))).toHaveLength(3);
    } finally {
      await rm(q, { recursive: true, force: true });
    }
  });
});
