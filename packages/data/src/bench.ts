import { link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@cnnkit/tensor-core';
import sharp from 'sharp';
import { imageDatasetFromDirectory } from './image-dataset.js';
import { drawShape } from './sample-data.js';

export interface BenchDataOptions {
  /** Folder sizes to compare. Default [5000, 50000]. */
  counts?: readonly number[];
  /** Source JPEG size `[height, width]`. Default [375, 500] (a typical cats-vs-dogs photo). */
  sourceSize?: readonly [number, number];
  /** Dataset `imageSize`. Default [180, 180]. */
  imageSize?: readonly [number, number];
  batchSize?: number;
  /** Where to build the folders (hard links to a few distinct files, so little disk). Default: a temp folder. */
  dir?: string;
  log?: (line: string) => void;
}

/** One row per folder size; `engine`/`task`/`size`/`batch`/`imagesPerSecond` match `cnnkit bench --json`. */
export interface BenchDataResult {
  engine: 'sharp-decode';
  task: 'decode';
  size: number;
  batch: number;
  files: number;
  /** Decode + resize throughput of one uncached epoch (consumer does nothing). */
  imagesPerSecond: number;
  /** The up-front validation pass (also decodes every file). */
  validateSeconds: number;
  epochSeconds: number;
  /** Highest resident set size seen (sampled every 20 ms) while building and iterating, MiB. */
  peakRssMiB: number;
  /** RSS before this folder's run, MiB, so growth with folder size can be seen. */
  startRssMiB: number;
}

const DISTINCT = 64;
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * Measures the data pipeline: decode images/s and peak memory for folders of
 * 5k and 50k JPEGs (memory should not grow with the folder: nothing is held
 * beyond the prefetch window). Slow (minutes); not run by the tests.
 *
 * @example
 * ```ts
 * const rows = await benchDataPipeline({ counts: [5000] });
 * console.table(rows);
 * ```
 */
export async function benchDataPipeline(options: BenchDataOptions = {}): Promise<BenchDataResult[]> {
  const counts = options.counts ?? [5000, 50000];
  const [sh, sw] = options.sourceSize ?? [375, 500];
  const imageSize = options.imageSize ?? [180, 180];
  const batchSize = options.batchSize ?? 32;
  const log = options.log ?? (() => {});
  const base = options.dir ?? (await mkdtemp(join(tmpdir(), 'cnnkit-bench-data-')));
  const rng = createRng(1);
  const sources: string[] = [];
  await mkdir(join(base, 'src'), { recursive: true });
  for (let i = 0; i < DISTINCT; i++) {
    const raw = drawShape(i % 2 === 0 ? 'circles' : 'squares', sw, sh, rng.fork(`bench ${i}`));
    const file = join(base, 'src', `${i}.jpg`);
    await writeFile(file, await sharp(raw, { raw: { width: sw, height: sh, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
    sources.push(file);
  }
  const results: BenchDataResult[] = [];
  try {
    for (const count of counts) {
      const dir = join(base, `n${count}`);
      for (const c of ['a', 'b']) await mkdir(join(dir, c), { recursive: true });
      for (let i = 0; i < count; i++) await link(sources[i % DISTINCT], join(dir, i % 2 === 0 ? 'a' : 'b', `${i}.jpg`));
      globalThis.gc?.();
      const startRss = process.memoryUsage().rss;
      let peak = startRss;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      try {
        const t0 = performance.now();
        const ds = await imageDatasetFromDirectory(dir, { imageSize, batchSize, seed: 1, logger: null });
        const t1 = performance.now();
        let n = 0;
        for await (const b of ds.arrays()) n += b.shape[0];
        const t2 = performance.now();
        const row: BenchDataResult = {
          engine: 'sharp-decode',
          task: 'decode',
          size: imageSize[0],
          batch: batchSize,
          files: n,
          imagesPerSecond: Math.round(n / ((t2 - t1) / 1000)),
          validateSeconds: Math.round(t1 - t0) / 1000,
          epochSeconds: Math.round(t2 - t1) / 1000,
          peakRssMiB: mib(Math.max(peak, process.memoryUsage().rss)),
          startRssMiB: mib(startRss),
        };
        log(JSON.stringify(row));
        results.push(row);
      } finally {
        clearInterval(timer);
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    if (options.dir === undefined) await rm(base, { recursive: true, force: true });
  }
  return results;
}
