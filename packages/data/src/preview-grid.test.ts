import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawImage } from './decode-image.js';
import { previewGrid, systemFontRenders } from './preview-grid.js';
import { pngOf, put, solid, tempDir } from './test-utils/fixtures.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
beforeAll(async () => {
  const t = await tempDir();
  root = t.path;
  cleanup = t.cleanup;
});
afterAll(() => cleanup());

const colours = [
  [200, 0, 0], [0, 200, 0], [0, 0, 200], [200, 200, 0], [0, 200, 200], [200, 0, 200], [90, 90, 90], [250, 120, 0], [10, 10, 10],
];
const samples: RawImage[] = colours.map((c) => ({ data: Uint8Array.from(solid(6, 6, c)), width: 6, height: 6, channels: 3 }));

async function pixels(file: string) {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
  return { info, at, data };
}

function inkIn(p: Awaited<ReturnType<typeof pixels>>, left: number, top: number, w: number, h: number): number {
  let ink = 0;
  for (let y = top; y < top + h; y++) for (let x = left; x < left + w; x++) if (p.at(x, y).every((v) => v < 100)) ink++;
  return ink;
}

describe('previewGrid', () => {
  it.each(['system', 'bitmap'] as const)('draws a 3x3 grid: each picture in its cell, a title (%s font) above it', async (font) => {
    if (font === 'system' && !(await systemFontRenders())) return; // no font on this machine: the bitmap case covers it
    const out = join(root, `grid-${font}.png`);
    const titles = colours.map((_, i) => (i % 2 === 0 ? 'circles' : 'squares'));
    const result = await previewGrid(samples, { out, titles, cellSize: 40, font });
    expect(result).toEqual({ out, width: 3 * 40 + 4 * 8, height: 3 * (40 + 24) + 4 * 8, font });
    const p = await pixels(out);
    expect([p.info.width, p.info.height]).toEqual([result.width, result.height]);
    for (let k = 0; k < 9; k++) {
      const left = 8 + (k % 3) * 48;
      const top = 8 + Math.floor(k / 3) * (64 + 8);
      expect(p.at(left + 20, top + 24 + 20)).toEqual(colours[k]);
      expect(inkIn(p, left, top, 40, 24)).toBeGreaterThan(15);
    }
    // the gap between cells stays white
    expect(p.at(4, 4)).toEqual([255, 255, 255]);
  });

  it('takes file paths and grayscale/alpha images, and leaves missing cells empty', async () => {
    const file = await put(root, 'pic.png', await pngOf(solid(3, 3, [0, 0, 250]), 3, 3));
    const gray: RawImage = { data: new Uint8Array(16).fill(77), width: 4, height: 4, channels: 1 };
    const clear: RawImage = { data: Uint8Array.from(solid(2, 2, [200, 0, 0, 0])), width: 2, height: 2, channels: 4 };
    const out = join(root, 'mixed.png');
    await previewGrid([file, gray, clear], { out, cols: 2, rows: 2, cellSize: 20 });
    const p = await pixels(out);
    expect(p.at(8 + 10, 8 + 10)).toEqual([0, 0, 250]);
    expect(p.at(36 + 10, 8 + 10)).toEqual([77, 77, 77]);
    expect(p.at(8 + 10, 36 + 10)).toEqual([255, 255, 255]); // fully transparent: flattened on white
    expect(p.at(36 + 10, 36 + 10)).toEqual([255, 255, 255]); // no fourth sample
  });

  it('rejects titles that do not match the samples', async () => {
    await expect(previewGrid(samples, { out: join(root, 'x.png'), titles: ['a'] })).rejects.toThrow(
      'previewGrid: expected one title per sample (9), received 1',
    );
  });
});
