import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { colorize } from './colorize.js';
import type { CamResult } from './compute-cam.js';
import { contactSheet } from './contact-sheet.js';
import { overlayHeatmap } from './overlay-heatmap.js';
import { writeOverlay } from './write-overlay.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A 40x60 mid-grey RGB image, and a 2x2 heatmap hot in the bottom-right cell only. */
const W = 60;
const H = 40;
const image = { data: new Uint8Array(W * H * 3).fill(128), width: W, height: H, channels: 3 };
const cam: CamResult = { heatmap: new Float32Array([0, 0, 0, 1]), height: 2, width: 2, classIndex: 1, score: 0.9, peak: [30, 45] };

async function decode(png: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('overlayHeatmap', () => {
  it('decodes to the image size; the hot corner is the blend with the colour map top, within 2 levels', async () => {
    const alpha = 0.4;
    const png = await overlayHeatmap(image, cam, { alpha, colormap: 'turbo' });
    const out = await decode(png);
    expect([out.width, out.height, out.channels]).toEqual([W, H, 3]);
    const hot = colorize([1], 'turbo');
    const cold = colorize([0], 'turbo');
    const at = (x: number, y: number): number[] => Array.from(out.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));
    // Bottom-right corner: heatmap 1 (clamped bilinear edge) → (1 - a) · 128 + a · hot.
    const expectedHot = Array.from(hot).map((c) => (1 - alpha) * 128 + alpha * c);
    at(W - 1, H - 1).forEach((v, i) => expect(Math.abs(v - expectedHot[i])).toBeLessThanOrEqual(2));
    const expectedCold = Array.from(cold).map((c) => (1 - alpha) * 128 + alpha * c);
    at(0, 0).forEach((v, i) => expect(Math.abs(v - expectedCold[i])).toBeLessThanOrEqual(2));
    // Differs from the original where the heatmap is hot (turbo's top is dark red: far from grey).
    const diff = at(W - 1, H - 1).reduce((s, v) => s + Math.abs(v - 128), 0);
    expect(diff).toBeGreaterThan(60);
  });

  it('alpha 0 gives back the original pixels', async () => {
    const out = await decode(await overlayHeatmap(image, cam, { alpha: 0 }));
    expect(out.data.every((v) => v === 128)).toBe(true);
  });

  it('accepts grey images and rejects a wrong byte count', async () => {
    const grey = { data: new Uint8Array(W * H).fill(50), width: W, height: H, channels: 1 };
    const out = await decode(await overlayHeatmap(grey, cam));
    expect([out.width, out.height, out.channels]).toEqual([W, H, 3]);
    await expect(overlayHeatmap({ ...image, data: new Uint8Array(10) }, cam)).rejects.toThrow(/received 10 bytes for 60x40x3/);
    await expect(overlayHeatmap(image, cam, { alpha: 2 })).rejects.toThrow(/alpha in 0..1, received 2/);
  });
});

describe('writeOverlay and contactSheet', () => {
  it('writeOverlay writes the PNG (creating directories) and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnnkit-cam-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'overlay.png');
    await writeOverlay(path, image, cam);
    const meta = await sharp(path).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([W, H, 'png']);
    expect(await readdir(join(dir, 'nested'))).toEqual(['overlay.png']);
  });

  it('writeOverlay with a title writes a titled card: the overlay at its own size under a title strip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnnkit-cam-'));
    dirs.push(dir);
    const plain = join(dir, 'plain.png');
    const titled = join(dir, 'titled.png');
    await writeOverlay(plain, image, cam);
    await writeOverlay(titled, image, cam, { title: 'dog: 90.0%', font: 'bitmap' });
    const [a, b] = [await sharp(plain).metadata(), await sharp(titled).metadata()];
    // previewGrid's card: the picture fitted in a square of its larger side, padding around, a title strip above.
    expect(b.width!).toBeGreaterThanOrEqual(Math.max(W, H));
    expect(b.height! - b.width!).toBeGreaterThan(0);
    expect([a.width, a.height]).toEqual([W, H]);
    expect((await readdir(dir)).sort()).toEqual(['plain.png', 'titled.png']);
  });

  it.runIf(process.platform === 'linux')('writeOverlay under /proc rejects promptly (Node 20\'s recursive mkdir would never settle there)', async () => {
    const settled = await Promise.race([
      writeOverlay('/proc/self/cnnkit-cam/run/overlay.png', image, cam).then(
        () => 'written',
        (e: NodeJS.ErrnoException) => e.code ?? 'error',
      ),
      new Promise<string>((r) => setTimeout(() => r('hung'), 5000)),
    ]);
    // A file-system error code (ENOENT), not 'hung', not success, not a programming error.
    expect(settled).toMatch(/^E[A-Z]+$/);
  });

  it('contactSheet lays originals and overlays side by side: 3 items, 2 per row → 4 x 2 cells', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cnnkit-cam-'));
    dirs.push(dir);
    const out = join(dir, 'sheet.png');
    const items = [0, 1, 2].map((i) => ({ image, cam, title: `image ${i}` }));
    const result = await contactSheet(items, { out, cols: 2, cellSize: 64, font: 'bitmap' });
    const meta = await sharp(out).metadata();
    // previewGrid geometry: cols·cell + (cols+1)·8 wide, rows·(cell + 24) + (rows+1)·8 high.
    expect([meta.width, meta.height]).toEqual([4 * 64 + 5 * 8, 2 * (64 + 24) + 3 * 8]);
    expect(result.out).toBe(out);
    expect(await readdir(dir)).toEqual(['sheet.png']);
  });
});
