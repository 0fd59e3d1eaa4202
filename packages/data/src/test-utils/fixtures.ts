import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp, { type KernelEnum, type OutputInfo, type Sharp } from 'sharp';

export async function tempDir(prefix = 'cnnkit-data-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export async function put(root: string, rel: string, data: Buffer | string): Promise<string> {
  const path = join(root, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
  return path;
}

/** Pixel noise, so JPEG scan data is long and a cut lands inside it. */
export function noiseRgb(width: number, height: number, seed = 1): Buffer {
  const buf = Buffer.alloc(width * height * 3);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < buf.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
  }
  return buf;
}

export function solid(width: number, height: number, rgb: readonly number[]): Buffer {
  const buf = Buffer.alloc(width * height * rgb.length);
  for (let i = 0; i < buf.length; i++) buf[i] = rgb[i % rgb.length];
  return buf;
}

export function rawSharp(data: Buffer, width: number, height: number, channels: 1 | 3 | 4): Sharp {
  return sharp(data, { raw: { width, height, channels } });
}

export async function jpegOf(data: Buffer, width: number, height: number): Promise<Buffer> {
  return rawSharp(data, width, height, 3).jpeg({ quality: 90 }).toBuffer();
}

export async function pngOf(data: Buffer, width: number, height: number, channels: 1 | 3 | 4 = 3): Promise<Buffer> {
  return rawSharp(data, width, height, channels).png().toBuffer();
}

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

/** A PNG whose (valid, CRC-correct) header claims a huge size: a decompression bomb's signature. */
export function hugeHeaderPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Removes a JFIF APP0 segment after SOI if there is one (mozjpeg may not write it),
 * and checks that none is left.
 */
export function stripJfif(jpeg: Buffer): Buffer {
  let out = jpeg;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) out = Buffer.concat([jpeg.subarray(0, 2), jpeg.subarray(4 + jpeg.readUInt16BE(4))]);
  if (out.includes('JFIF')) throw new Error('stripJfif: a JFIF marker is still there');
  return out;
}

/** sha256 of every file below root, by relative path: to prove nothing was touched. */
export async function hashTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function visit(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else out[relative(root, full)] = createHash('sha256').update(await readFile(full)).digest('hex');
    }
  }
  await visit(root);
  return out;
}
