import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode as encodeBmp } from 'bmp-ts';
import sharp from 'sharp';
import { checkImages } from './check-images.js';
import { decodeImage } from './decode-image.js';
import { hashTree, hugeHeaderPng, jpegOf, noiseRgb, pngOf, put, rawSharp, solid, stripJfif, tempDir } from './test-utils/fixtures.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  const t = await tempDir();
  root = t.path;
  cleanup = t.cleanup;
  const jpeg = await jpegOf(noiseRgb(160, 120), 160, 120);
  const withExif = await rawSharp(noiseRgb(40, 30, 7), 40, 30, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  // bmp-ts takes ABGR bytes: this is a red, green, blue, white 2x2.
  const bmp = encodeBmp({ width: 2, height: 2, data: Buffer.from([0, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 255, 255, 255]) }).data;
  await Promise.all([
    put(root, 'cat/ok.jpg', jpeg),
    put(root, 'cat/truncated.jpg', jpeg.subarray(0, jpeg.length >> 1)),
    put(root, 'cat/empty.jpg', Buffer.alloc(0)),
    put(root, 'cat/notes-named.jpg', 'these are my notes, not a picture\n'),
    put(root, 'cat/bomb.png', hugeHeaderPng(100_000, 100_000)),
    put(root, 'cat/png-named.jpg', await pngOf(noiseRgb(20, 20), 20, 20)),
    put(root, 'cat/Thumbs.db', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])),
    put(root, 'cat/.DS_Store', Buffer.from('Bud1')),
    put(root, 'dog/gray.png', await pngOf(solid(16, 16, [90]), 16, 16, 1)),
    put(root, 'dog/cmyk.jpg', await rawSharp(noiseRgb(32, 32, 3), 32, 32, 3).toColourspace('cmyk').jpeg().toBuffer()),
    put(root, 'dog/deep.png', await rawSharp(noiseRgb(24, 24, 4), 24, 24, 3).toColourspace('rgb16').png().toBuffer()),
    put(root, 'dog/alpha.png', await pngOf(solid(10, 10, [200, 10, 10, 128]), 10, 10, 4)),
    put(root, 'dog/no-jfif.jpg', stripJfif(jpeg)),
    put(root, 'dog/exif.jpeg', withExif),
    put(root, 'dog/pic.webp', await rawSharp(noiseRgb(30, 20, 5), 30, 20, 3).webp().toBuffer()),
    put(root, 'dog/anim.gif', await rawSharp(noiseRgb(12, 12, 6), 12, 12, 3).gif().toBuffer()),
    put(root, 'dog/pic.bmp', bmp),
    put(root, 'cat/cut.bmp', bmp.subarray(0, bmp.length - 20)),
    put(root, 'notes.txt', 'hello'),
  ]);
});
afterAll(() => cleanup());

describe('checkImages', () => {
  it('keeps valid odd files, skips broken ones with a reason, lists non-images as ignored', async () => {
    const before = await hashTree(root);
    const report = await checkImages(root, { pixelLimit: 10_000_000 });
    const reasons = Object.fromEntries(report.broken.map((b) => [b.file, b.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['cat/bomb.png', 'cat/cut.bmp', 'cat/empty.jpg', 'cat/notes-named.jpg', 'cat/truncated.jpg']);
    expect(reasons['cat/truncated.jpg']).toMatch(/^truncated JPEG \(\d+ bytes, no end marker\)$/);
    expect(reasons['cat/empty.jpg']).toBe('empty file (0 bytes)');
    expect(reasons['cat/notes-named.jpg']).toMatch(/^not an image: looks like text/);
    expect(reasons['cat/bomb.png']).toBe('over the pixel limit: 100000x100000 = 10000000000 pixels > 10000000');
    expect(reasons['cat/cut.bmp']).toMatch(/^truncated or corrupt BMP: /);
    expect(report.files).toBe(16);
    expect(report.valid).toBe(11);
    expect(report.ignored).toEqual(['cat/.DS_Store', 'cat/Thumbs.db', 'notes.txt']);
    expect(await hashTree(root)).toEqual(before);
  });

  it('a header-only check would have passed the truncated JPEG: the decode is what catches it', async () => {
    const meta = await sharp(`${root}/cat/truncated.jpg`).metadata();
    expect(meta.width).toBe(160);
  });

  it('decodes the odd files to 8-bit sRGB without applying EXIF rotation', async () => {
    const deep = await decodeImage(`${root}/dog/deep.png`);
    expect([deep.width, deep.height, deep.channels, deep.data.length]).toEqual([24, 24, 3, 24 * 24 * 3]);
    const gray = await decodeImage(`${root}/dog/gray.png`, { colorMode: 'rgb' });
    expect(Array.from(gray.data.subarray(0, 3))).toEqual([90, 90, 90]);
    const alpha = await decodeImage(`${root}/dog/alpha.png`, { colorMode: 'rgb' });
    expect(Array.from(alpha.data.subarray(0, 3))).toEqual([200, 10, 10]); // dropped, not composited
    const rgba = await decodeImage(`${root}/dog/alpha.png`, { colorMode: 'rgba' });
    expect(Array.from(rgba.data.subarray(0, 4))).toEqual([200, 10, 10, 128]);
    const opaque = await decodeImage(`${root}/dog/gray.png`, { colorMode: 'rgba' });
    expect(Array.from(opaque.data.subarray(0, 4))).toEqual([90, 90, 90, 255]);
    const exif = await decodeImage(`${root}/dog/exif.jpeg`);
    expect([exif.width, exif.height]).toEqual([40, 30]); // orientation 6 would make it 30x40
    const bmp = await decodeImage(`${root}/dog/pic.bmp`);
    expect(Array.from(bmp.data)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
    const bmpA = await decodeImage(`${root}/dog/pic.bmp`, { colorMode: 'rgba' });
    expect(bmpA.data[3]).toBe(255); // 24-bit: opaque
    const cmyk = await decodeImage(`${root}/dog/cmyk.jpg`, { colorMode: 'grayscale' });
    expect(cmyk.channels).toBe(1);
  });

  it('refuses a missing folder with a message that names it', async () => {
    await expect(checkImages(`${root}/nope`)).rejects.toThrow(/checkImages: expected a folder of images, but ".*nope" does not exist/);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file (permission) as broken', async () => {
    const { chmod } = await import('node:fs/promises');
    const t = await tempDir();
    try {
      const p = await put(t.path, 'a/x.png', await pngOf(solid(4, 4, [1, 2, 3]), 4, 4));
      await chmod(p, 0);
      const report = await checkImages(t.path);
      expect(report.broken).toEqual([{ file: 'a/x.png', reason: 'unreadable: EACCES' }]);
    } finally {
      await t.cleanup();
    }
  });
});
