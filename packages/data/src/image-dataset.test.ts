import { join } from 'node:path';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { defaultRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageDatasetFromDirectory, type ArrayBatch } from './image-dataset.js';
import { hashTree, pngOf, put, solid, tempDir } from './test-utils/fixtures.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
/** Class folder names chosen so a locale-aware sort would order them differently. */
const CLASSES = ['Zebra', 'apple', 'banana'];
const PER_CLASS = 10;

beforeAll(async () => {
  defaultRegistry.add(cpuBackend());
  await selectBackend({ name: 'cpu' });
  const t = await tempDir();
  root = t.path;
  cleanup = t.cleanup;
  const writes: Promise<unknown>[] = [];
  // Each image is a 2x2 solid colour that encodes its class and index: (class*50+10, index*10, 7).
  for (let c = 0; c < CLASSES.length; c++) {
    for (let i = 0; i < PER_CLASS; i++) {
      const png = pngOf(solid(2, 2, [c * 50 + 10, i * 10, 7]), 2, 2);
      writes.push(png.then((b) => put(root, `data/${CLASSES[c]}/img${i}.png`, b)));
      writes.push(png.then((b) => put(root, `clean/${CLASSES[c]}/img${i}.png`, b)));
    }
  }
  writes.push(put(root, 'data/apple/broken.jpg', 'not a jpeg'));
  writes.push(put(root, 'data/apple/Thumbs.db', 'x'));
  writes.push(put(root, 'data/stray.txt', 'files at the top are not a class'));
  await Promise.all(writes);
});
afterAll(() => cleanup());

const data = () => join(root, 'data');
/** The same images without the broken file, for runs with `validate: false`. */
const clean = () => join(root, 'clean');

async function collect(batches: AsyncIterable<ArrayBatch>): Promise<ArrayBatch[]> {
  const out: ArrayBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

describe('imageDatasetFromDirectory', () => {
  it('labels by code-point sorted folder names and leaves broken files out, listed in the report', async () => {
    const before = await hashTree(data());
    const ds = await imageDatasetFromDirectory(data(), { imageSize: [4, 4], batchSize: 8, seed: 1 });
    expect(ds.classNames).toEqual(['Zebra', 'apple', 'banana']);
    expect(ds.filePaths).toHaveLength(30);
    expect(ds.report).toEqual({ files: 31, valid: 30, broken: [{ file: 'apple/broken.jpg', reason: expect.stringMatching(/^not an image/) }], ignored: ['apple/Thumbs.db'] });
    expect(ds.cardinality).toBe(4);
    for (let i = 0; i < ds.filePaths.length; i++) expect(ds.filePaths[i]).toContain(`/${CLASSES[ds.labels[i]]}/`);
    const batches = await collect(ds.arrays());
    expect(batches.map((b) => b.shape[0])).toEqual([8, 8, 8, 6]);
    for (const b of batches) {
      for (let k = 0; k < b.shape[0]; k++) {
        // Solid 2x2 resized to 4x4: the first pixel's red channel names the class.
        expect(b.images[k * 48]).toBe(b.classIndices[k] * 50 + 10);
        expect(b.files[k]).toContain(`/${CLASSES[b.classIndices[k]]}/`);
      }
    }
    expect(await hashTree(data())).toEqual(before);
  });

  it('resizes a 2x2 solid image to 4x4 of that colour everywhere (tensor path, float32 0..255)', async () => {
    const ds = await imageDatasetFromDirectory(data(), { imageSize: [4, 4], batchSize: 30, shuffle: false, classNames: ['banana', 'Zebra'] });
    expect(ds.classNames).toEqual(['banana', 'Zebra']);
    for await (const { images, labels } of ds) {
      expect(images.shape).toEqual([20, 4, 4, 3]);
      expect(images.dtype).toBe('float32');
      const px = await images.data();
      const lab = await labels!.data();
      // Unshuffled: banana's img0..img9 then Zebra's.
      expect(Array.from(lab)).toEqual([...Array(10).fill(0), ...Array(10).fill(1)]);
      for (let k = 0; k < 20; k++) {
        const [r, g, b] = k < 10 ? [110, k * 10, 7] : [10, (k - 10) * 10, 7];
        for (let p = 0; p < 16; p++) expect(Array.from(px.subarray(k * 48 + p * 3, k * 48 + p * 3 + 3))).toEqual([r, g, b]);
      }
      tf.dispose([images, labels!]);
    }
  });

  it.each([
    ['int', [3], 'int32', [0, 1, 2]],
    ['categorical', [3, 3], 'float32', [1, 0, 0, 0, 1, 0, 0, 0, 1]],
  ] as const)('labelMode %s', async (labelMode, shape, dtype, values) => {
    const ds = await imageDatasetFromDirectory(clean(), { imageSize: [2, 2], batchSize: 3, shuffle: false, labelMode, validate: false });
    // Unshuffled order is class-major; pick one of each class by reading the first batch of each class block.
    const seen: number[] = [];
    let i = 0;
    for await (const { images, labels } of ds) {
      if (i === 0 || i === 4 || i === 7) {
        const l = await labels!.data();
        seen.push(...Array.from(l).slice(0, labelMode === 'int' ? 1 : 3));
        expect(labels!.dtype).toBe(dtype);
        expect(labels!.shape[1]).toBe(shape[1]);
      }
      tf.dispose([images, labels!]);
      i++;
    }
    // batches 0, 4 and 7 (of 3) start at files 0, 12 and 21 -> classes 0, 1, 2 (10 Zebra, 10 apple, 10 banana)
    expect(seen).toEqual(values);
  });

  it('labelMode binary gives [n, 1] float 0/1 and needs exactly two classes', async () => {
    const ds = await imageDatasetFromDirectory(data(), { imageSize: [2, 2], batchSize: 20, shuffle: false, labelMode: 'binary', classNames: ['apple', 'banana'] });
    for await (const { images, labels } of ds) {
      expect(labels!.shape).toEqual([20, 1]);
      expect(Array.from(await labels!.data())).toEqual([...Array(10).fill(0), ...Array(10).fill(1)]);
      tf.dispose([images, labels!]);
    }
    await expect(imageDatasetFromDirectory(data(), { imageSize: [2, 2], labelMode: 'binary', validate: false })).rejects.toThrow(
      "labelMode 'binary': expected exactly 2 classes, found 3",
    );
  });

  it('labelMode null yields images only; unbatched yields [h, w, c]', async () => {
    const ds = await imageDatasetFromDirectory(data(), { imageSize: [3, 5], batchSize: null, labelMode: null, seed: 3 });
    expect(ds.cardinality).toBe(30);
    let count = 0;
    for await (const { images, labels } of ds) {
      expect(images.shape).toEqual([3, 5, 3]);
      expect(labels).toBeNull();
      images.dispose();
      count++;
    }
    expect(count).toBe(30);
  });

  it('splits deterministically and disjointly: same seed, same split; union is every valid file', async () => {
    const opts = { imageSize: [2, 2] as [number, number], validationSplit: 0.2, seed: 42 };
    const [train, val] = await imageDatasetFromDirectory(data(), { ...opts, subset: 'both' });
    const train2 = await imageDatasetFromDirectory(data(), { ...opts, subset: 'training' });
    const val2 = await imageDatasetFromDirectory(data(), { ...opts, subset: 'validation' });
    expect(train2.filePaths).toEqual(train.filePaths);
    expect(val2.filePaths).toEqual(val.filePaths);
    expect(val.filePaths).toHaveLength(6); // trunc(0.2 * 30)
    expect(train.filePaths).toHaveLength(24);
    const overlap = train.filePaths.filter((f) => val.filePaths.includes(f));
    expect(overlap).toEqual([]);
    const all = await imageDatasetFromDirectory(data(), { imageSize: [2, 2], shuffle: false });
    expect([...train.filePaths, ...val.filePaths].sort()).toEqual([...all.filePaths].sort());
    const other = await imageDatasetFromDirectory(data(), { ...opts, seed: 43, subset: 'validation' });
    expect(other.filePaths).not.toEqual(val.filePaths);
    // labels travel with their files
    for (let i = 0; i < val.filePaths.length; i++) expect(val.filePaths[i]).toContain(`/${CLASSES[val.labels[i]]}/`);
  });

  it('reshuffles each epoch, deterministically from the seed; every epoch covers every file once', async () => {
    const a = await imageDatasetFromDirectory(clean(), { imageSize: [2, 2], batchSize: 7, seed: 9, validate: false });
    const b = await imageDatasetFromDirectory(clean(), { imageSize: [2, 2], batchSize: 7, seed: 9, validate: false });
    const files = async (ds: typeof a) => (await collect(ds.arrays())).flatMap((x) => x.files);
    const a0 = await files(a);
    const a1 = await files(a);
    expect(a.epoch).toBe(2);
    expect(a1).not.toEqual(a0);
    expect([...a0].sort()).toEqual([...a.filePaths].sort());
    expect([...a1].sort()).toEqual([...a.filePaths].sort());
    expect(await files(b)).toEqual(a0);
    b.seekEpoch(1);
    expect(await files(b)).toEqual(a1);
  });

  it('seekEpoch(epoch, step) starts at that batch without decoding the ones before it, once', async () => {
    const a = await imageDatasetFromDirectory(clean(), { imageSize: [2, 2], batchSize: 7, seed: 9, validate: false });
    const whole = await collect(a.arrays());
    const b = await imageDatasetFromDirectory(clean(), { imageSize: [2, 2], batchSize: 7, seed: 9, validate: false });
    b.seekEpoch(0, 2);
    const rest = await collect(b.arrays());
    expect(rest.map((x) => x.files)).toEqual(whole.slice(2).map((x) => x.files));
    expect(b.stats.decodes).toBe(whole.slice(2).reduce((k, x) => k + x.files.length, 0));
    // The step applies to one iteration: the next epoch starts at its first batch.
    expect((await collect(b.arrays()))[0].files).toHaveLength(7);
    expect(() => b.seekEpoch(1, -1)).toThrow('ImageDataset.seekEpoch: expected step a non-negative integer, received -1');
  });

  it('with a memory cache, the second epoch does not decode and gives identical pixels', async () => {
    const ds = await imageDatasetFromDirectory(clean(), { imageSize: [4, 4], batchSize: 8, seed: 5, cache: 'memory', validate: false });
    const byFile = (batches: ArrayBatch[]) =>
      new Map(batches.flatMap((b) => b.files.map((f, k) => [f, Array.from(b.images.subarray(k * 48, (k + 1) * 48))] as const)));
    const first = byFile(await collect(ds.arrays()));
    expect(ds.stats).toEqual({ decodes: 30, cacheHits: 0 });
    const second = byFile(await collect(ds.arrays()));
    expect(ds.stats).toEqual({ decodes: 30, cacheHits: 30 });
    expect(second).toEqual(first);
  });

  it('decodes only a bounded window ahead of the consumer, and stops when the consumer stops', async () => {
    const ds = await imageDatasetFromDirectory(clean(), { imageSize: [2, 2], batchSize: 2, prefetch: 1, parallelism: 2, seed: 4, validate: false });
    for await (const batch of ds.arrays()) {
      expect(batch.shape[0]).toBe(2);
      await new Promise((r) => setTimeout(r, 50)); // the consumer is busy; prefetch runs on
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
    // 2 taken + at most (prefetch + 1) * batchSize = 4 ahead, out of 30
    expect(ds.stats.decodes).toBeGreaterThanOrEqual(4);
    expect(ds.stats.decodes).toBeLessThanOrEqual(6);
  });

  it('the tensor path leaks nothing but what it yields', async () => {
    const ds = await imageDatasetFromDirectory(clean(), { imageSize: [2, 2], batchSize: 7, seed: 4, validate: false, labelMode: 'categorical' });
    const before = tf.memory().numTensors;
    for await (const { images, labels } of ds) tf.dispose([images, labels!]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with a disk cache, a new dataset over the same folder does not decode', async () => {
    const cacheDir = join(root, 'cache');
    const opts = { imageSize: [4, 4] as [number, number], batchSize: 8, seed: 5, cache: { dir: cacheDir } };
    const a = await imageDatasetFromDirectory(data(), opts); // validation pass fills the cache
    expect(a.stats.decodes).toBe(31);
    const pixelsA = (await collect(a.arrays())).map((b) => Array.from(b.images));
    expect(a.stats.decodes).toBe(31);
    const b = await imageDatasetFromDirectory(data(), opts);
    expect(b.stats.decodes).toBe(1); // only the broken file, which has nothing cached
    expect((await collect(b.arrays())).map((x) => Array.from(x.images))).toEqual(pixelsA);
  });

  it("logs Keras's summary once per call: files found (broken included), classes, the split, and each broken file", async () => {
    const lines: string[] = [];
    const [train, val] = await imageDatasetFromDirectory(data(), { imageSize: [4, 4], validationSplit: 0.2, subset: 'both', seed: 3, logger: (l) => lines.push(l) });
    // The oracle is the fixture: 3 classes x 10 good files + 1 broken; 30 valid split 24 / 6 (Keras rounds the validation count down).
    expect(lines).toEqual([
      `Found 31 files belonging to 3 classes; using ${train.filePaths.length} for training / ${val.filePaths.length} for validation; skipped 1 broken (see report.broken: apple/broken.jpg (${train.report.broken[0].reason})).`,
    ]);
    expect([train.filePaths.length, val.filePaths.length]).toEqual([24, 6]);
    const one: string[] = [];
    await imageDatasetFromDirectory(clean(), { imageSize: [4, 4], validationSplit: 0.2, subset: 'validation', seed: 3, logger: (l) => one.push(l) });
    expect(one).toEqual(['Found 30 files belonging to 3 classes; using 6 for validation.']);
    const all: string[] = [];
    await imageDatasetFromDirectory(clean(), { imageSize: [4, 4], logger: (l) => all.push(l) });
    expect(all).toEqual(['Found 30 files belonging to 3 classes; using all 30.']);
  });

  it('names the first three broken files and counts the rest; logger null is silent', async () => {
    const png = await pngOf(solid(2, 2, [1, 2, 3]), 2, 2);
    for (const c of ['a', 'b']) for (let i = 0; i < 3; i++) await put(root, `many/${c}/ok${i}.png`, png);
    for (let i = 0; i < 5; i++) await put(root, `many/b/bad${i}.jpg`, '');
    const lines: string[] = [];
    const ds = await imageDatasetFromDirectory(join(root, 'many'), { imageSize: [2, 2], logger: (l) => lines.push(l) });
    expect(ds.report.broken).toHaveLength(5);
    const named = ds.report.broken.slice(0, 3).map((b) => `${b.file} (${b.reason})`).join(', ');
    expect(lines).toEqual([`Found 11 files belonging to 2 classes; using all 6; skipped 5 broken (see report.broken: ${named} and 2 more).`]);
    const spoken: unknown[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void spoken.push(args);
    try {
      await imageDatasetFromDirectory(join(root, 'many'), { imageSize: [2, 2], logger: null });
      expect(spoken).toEqual([]);
      await imageDatasetFromDirectory(join(root, 'many'), { imageSize: [2, 2] });
      expect(spoken).toEqual([[lines[0]]]);
    } finally {
      console.log = original;
    }
  });

  it('without validation, a broken file fails the epoch that reaches it, naming the file', async () => {
    const ds = await imageDatasetFromDirectory(data(), { imageSize: [2, 2], batchSize: 4, validate: false, seed: 2 });
    expect(ds.report).toEqual({ files: 31, valid: 31, broken: [], ignored: ['apple/Thumbs.db'] });
    await expect(collect(ds.arrays())).rejects.toThrow(/decodeImage: could not decode ".*apple\/broken.jpg": not an image/);
  });

  it.each([
    ['a missing folder', 'nope', {}, /directory ".*nope" does not exist; expected DIR\/<class>\/<image files>/],
    ['a folder without class sub-folders', 'data/apple', {}, /directory ".*apple" has no class sub-folders; expected DIR\/<class>\/<image files>/],
    ['one class only', 'one', {}, /found only one class sub-folder \("solo"\)/],
    ['an empty class folder', 'emptyclass', {}, /class folder ".*empty" has no usable images \(no .* files\)/],
    ['a split without a seed', 'data', { validationSplit: 0.2, subset: 'training' }, /validationSplit with shuffling needs a seed/],
    ['an unknown class name', 'data', { classNames: ['apple', 'kiwi'] }, /not found: kiwi; available: Zebra, apple, banana/],
    ['a bad batch size', 'data', { batchSize: 0 }, /expected batchSize a positive integer or null, received 0/],
  ] as const)('rejects %s with a message naming it', async (_name, sub, opts, message) => {
    const png = await pngOf(solid(2, 2, [1, 2, 3]), 2, 2);
    await put(root, 'one/solo/a.png', png);
    await put(root, 'emptyclass/full/a.png', png);
    await put(root, 'emptyclass/empty/readme.txt', 'no images here');
    await expect(imageDatasetFromDirectory(join(root, sub), opts as object)).rejects.toThrow(message);
  });
});
