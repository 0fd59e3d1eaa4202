import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { decodeImage, ImageDecodeError } from './decode-image.js';

it('a missing file is named as missing, not as an undecodable format; an empty one still is a decode error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cnnkit-decode-'));
  try {
    const missing = join(dir, 'missing.jpg');
    const error = await decodeImage(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).message).toBe(`decodeImage: "${missing}" does not exist`);
    expect((error as ImageDecodeError).reason).toBe('no such file');
    const empty = join(dir, 'empty.jpg');
    await writeFile(empty, '');
    await expect(decodeImage(empty)).rejects.toThrow(`decodeImage: could not decode "${empty}": empty file (0 bytes); expected a complete JPEG, PNG, GIF, BMP or WebP file`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
