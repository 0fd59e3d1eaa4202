import { join } from 'node:path';
import { createRng } from '@cnnkit/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImages } from './check-images.js';
import { decodeImage } from './decode-image.js';
import { imageDatasetFromDirectory } from './image-dataset.js';
import { drawShape, writeSampleData, type SampleDataResult } from './sample-data.js';
import { hashTree, put, tempDir } from './test-utils/fixtures.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
let result: SampleDataResult;
const small = { seed: 7, perClass: 8, minSize: 40, maxSize: 60 };

beforeAll(async () => {
  const t = await tempDir();
  root = t.path;
  cleanup = t.cleanup;
  result = await writeSampleData(join(root, 'a'), small);
});
afterAll(() => cleanup());

describe('writeSampleData', () => {
  it('writes what it says: images per class with their sizes and formats', async () => {
    expect(result.classNames).toEqual(['circles', 'squares']);
    expect(result.images).toHaveLength(16);
    for (const img of result.images.slice(0, 5)) {
      const decoded = await decodeImage(join(root, 'a', img.file));
      expect([decoded.width, decoded.height]).toEqual([img.width, img.height]);
      expect(img.width).toBeGreaterThanOrEqual(40);
      expect(img.width).toBeLessThanOrEqual(60);
    }
    expect(new Set(result.images.map((i) => i.format)).size).toBeGreaterThan(1);
  });

  it('is deterministic given the seed, and differs for another seed', async () => {
    const again = await writeSampleData(join(root, 'b'), small);
    expect(again.images).toEqual(result.images);
    expect(await hashTree(join(root, 'b'))).toEqual(await hashTree(join(root, 'a')));
    await writeSampleData(join(root, 'c'), { ...small, seed: 8 });
    expect(await hashTree(join(root, 'c'))).not.toEqual(await hashTree(join(root, 'a')));
  });

  it('its broken files are exactly what checkImages reports broken; its extras are ignored', async () => {
    const report = await checkImages(join(root, 'a'));
    expect(report.broken.map((b) => b.file).sort()).toEqual(result.broken.map((b) => b.file).sort());
    expect([...report.ignored].sort()).toEqual([...result.ignored].sort());
    expect(report.valid).toBe(16);
  });

  it('loads as a two-class dataset', async () => {
    const ds = await imageDatasetFromDirectory(join(root, 'a'), { imageSize: [32, 32], seed: 1 });
    expect(ds.classNames).toEqual(['circles', 'squares']);
    expect(ds.filePaths).toHaveLength(16);
  });

  it('refuses a non-empty folder', async () => {
    await put(root, 'busy/keep.txt', 'mine');
    await expect(writeSampleData(join(root, 'busy'))).rejects.toThrow(/writeSampleData: output folder ".*busy" is not empty \(1 entries\)/);
  });

  it('draws circles as rings (background in the middle) and squares filled (shape colour in the middle)', () => {
    // The oracle: find the shape's pixels (far from the background, which is linear in y
    // between the left corners), take their centroid, and look at the 3x3 pixels there.
    const rng = createRng(3);
    for (const shape of ['circles', 'squares'] as const) {
      for (let i = 0; i < 20; i++) {
        const r = rng.fork(`${shape}/${i}`);
        const [width, height] = [40 + r.int(41), 40 + r.int(41)];
        const px = drawShape(shape, width, height, r);
        const at = (x: number, y: number) => [0, 1, 2].map((k) => px[(y * width + x) * 3 + k]);
        const [top, bottom] = [at(0, 0), at(0, height - 1)];
        const bgAt = (y: number) => top.map((v, k) => v + ((bottom[k] - v) * y) / (height - 1));
        const isShape = (x: number, y: number) => Math.hypot(...at(x, y).map((v, k) => v - bgAt(y)[k])) > 40;
        let [sx, sy, n] = [0, 0, 0];
        for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (isShape(x, y)) [sx, sy, n] = [sx + x, sy + y, n + 1];
        expect(n / (width * height), `${shape} ${i}: share of shape pixels`).toBeGreaterThan(0.05);
        const [cx, cy] = [Math.round(sx / n), Math.round(sy / n)];
        const middle = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => isShape(cx + dx, cy + dy)));
        expect(middle, `${shape} ${i} (${width}x${height}): shape pixels around the centroid (${cx}, ${cy})`).toEqual(Array(9).fill(shape === 'squares'));
      }
    }
  });
});
