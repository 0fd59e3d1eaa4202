import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareNames, hasImageExtension, relativePath, walkFiles } from './image-files.js';
import { put, tempDir } from './test-utils/fixtures.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
beforeAll(async () => {
  const t = await tempDir();
  root = t.path;
  cleanup = t.cleanup;
  await put(root, 'data/cat/b.JPG', 'x');
  await put(root, 'data/cat/a.png', 'x');
  await put(root, 'data/cat/sub/c.webp', 'x');
  await put(root, 'data/cat/Thumbs.db', 'x');
  await put(root, 'elsewhere/d.gif', 'x');
  await symlink(join(root, 'elsewhere'), join(root, 'data/cat/linked'));
  await mkdir(join(root, 'data/cat/sub/loop-parent'), { recursive: true });
  await symlink(join(root, 'data/cat'), join(root, 'data/cat/sub/loop-parent/up'));
});
afterAll(() => cleanup());

describe('walkFiles', () => {
  it('lists images sorted by code point, recursively; other files as ignored; links to folders not followed', async () => {
    const dir = join(root, 'data');
    const { images, ignored } = await walkFiles(dir, false);
    expect(images.map((f) => relativePath(dir, f))).toEqual(['cat/a.png', 'cat/b.JPG', 'cat/sub/c.webp']);
    expect(ignored.map((f) => relativePath(dir, f))).toEqual(['cat/Thumbs.db']);
  });

  it('follows links to folders with followLinks, and a link cycle ends', async () => {
    const dir = join(root, 'data');
    const { images } = await walkFiles(dir, true);
    expect(images.map((f) => relativePath(dir, f))).toEqual(['cat/a.png', 'cat/b.JPG', 'cat/linked/d.gif', 'cat/sub/c.webp']);
  });
});

describe('names', () => {
  it.each([
    ['x.jpeg', true], ['X.WEBP', true], ['a.bmp', true], ['.png', false], ['notes.txt', false], ['Thumbs.db', false], ['jpg', false],
  ] as const)('hasImageExtension(%s) = %s', (name, expected) => expect(hasImageExtension(name)).toBe(expected));

  it('sorts like Python sorted(), not by locale', () => {
    expect(['b', 'Zebra', 'apple', '_x', '10', '9'].sort(compareNames)).toEqual(['10', '9', 'Zebra', '_x', 'apple', 'b']);
  });
});
