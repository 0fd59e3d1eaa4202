import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImages } from './check-images.js';
import { decodeImage } from './decode-image.js';
import { imageDatasetFromDirectory } from './image-dataset.js';
import { writeSampleData, type SampleDataResult } from './sample-data.js';
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
});
