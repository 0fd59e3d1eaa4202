import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { decodeImage, ImageDecodeError } from './decode-image.js';
import { noiseRgb, pngOf, rawSharp } from './test-utils/fixtures.js';

const W = 8;
const H = 6;
const PIXEL_LIMIT = 1 << 20;
const CASE_TIME_LIMIT_MS = 5_000;
const seeds: Record<string, Buffer> = {};
const outcomes = { ok: 0, error: 0 };

/** A 24-bit bottom-up BMP, written by hand: sharp writes no BMP. */
function bmpOf(rgb: Buffer, width: number, height: number): Buffer {
  const row = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + row * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = ((height - 1 - y) * width + x) * 3;
      const dst = 54 + y * row + x * 3;
      out[dst] = rgb[src + 2];
      out[dst + 1] = rgb[src + 1];
      out[dst + 2] = rgb[src];
    }
  }
  return out;
}

beforeAll(async () => {
  const rgb = noiseRgb(W, H, 7);
  seeds.png = await pngOf(rgb, W, H);
  seeds.jpeg = await rawSharp(rgb, W, H, 3).jpeg({ quality: 80 }).toBuffer();
  seeds.webp = await rawSharp(rgb, W, H, 3).webp({ quality: 80 }).toBuffer();
  seeds.gif = await rawSharp(rgb, W, H, 3).gif().toBuffer();
  seeds.bmp = bmpOf(rgb, W, H);
  // Several pipelines at once, as the dataset runs them.
  sharp.concurrency(2);
});
afterAll(() => {
  expect(outcomes.ok).toBeGreaterThan(0);
  expect(outcomes.error).toBeGreaterThan(0);
});

/** Byte damage concentrated in the first 64 bytes, where the headers (sizes, chunk lengths) live. */
const damage = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.oneof(fc.nat(64), fc.nat()), byte: fc.oneof(fc.constantFrom(0, 0xff, 0x7f, 0x80), fc.nat(255)) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.oneof(fc.nat(64), fc.nat()), data: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  ),
  { minLength: 1, maxLength: 4 },
);

function apply(seed: Buffer, edits: { kind: string; at: number; byte?: number; data?: Uint8Array }[]): Buffer {
  let b = Buffer.from(seed);
  for (const e of edits) {
    const at = e.at % (b.length + 1);
    if (e.kind === 'set' && at < b.length) b[at] = e.byte!;
    else if (e.kind === 'truncate') b = b.subarray(0, at);
    else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(e.data!), b.subarray(at)]);
  }
  return b;
}

describe('fuzz: image files through decodeImage (sharp, bmp-ts)', () => {
  // Oracle: PNG is lossless, so decoding gives back exactly the pixels encoded.
  prop.prop([fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.nat()], fuzzRuns(40))('a PNG decodes to the pixels it was made from', async (w, h, seed) => {
    const rgb = noiseRgb(w, h, seed + 1);
    const img = await decodeImage('x.png', {}, await pngOf(rgb, w, h));
    expect([img.width, img.height, img.channels]).toEqual([w, h, 3]);
    expect(Buffer.from(img.data)).toEqual(rgb);
  });

  prop.prop([fc.constantFrom('png', 'jpeg', 'webp', 'gif', 'bmp'), damage, fc.constantFrom('rgb', 'grayscale', 'rgba' as const)], fuzzRuns(250))(
    'damaged PNG, JPEG, WebP, GIF and BMP bytes decode within the pixel limit or fail with ImageDecodeError',
    async (format, edits, colorMode) => {
      const file = `cat/x.${format}`;
      const bytes = apply(seeds[format], edits);
      const start = performance.now();
      try {
        const img = await decodeImage(file, { colorMode, pixelLimit: PIXEL_LIMIT }, bytes);
        expect(img.width * img.height).toBeLessThanOrEqual(PIXEL_LIMIT);
        expect(img.data.length).toBe(img.width * img.height * img.channels);
        outcomes.ok++;
      } catch (error) {
        if (!(error instanceof ImageDecodeError)) throw new Error(`expected ImageDecodeError or pixels, received ${String(error)}`, { cause: error });
        expect(error.file).toBe(file);
        expect(error.message).not.toMatch(/\n/);
        outcomes.error++;
      }
      expect(performance.now() - start).toBeLessThan(CASE_TIME_LIMIT_MS);
    },
  );
});
