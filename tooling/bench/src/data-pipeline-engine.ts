import { fileURLToPath } from 'node:url';
import type { BenchDataResult } from '@cnnkit/data';
import type { BenchOutcome } from './bench-result.js';
import { runChild } from './run-child.js';

const MEMORY_CHILD = fileURLToPath(new URL('../dist/data-memory-child.js', import.meta.url));

export interface DecodeBenchOptions {
  size: number;
  batch: number;
  /** JPEG files in the temp folder (hard links to 64 distinct 500x375 photos-like JPEGs). */
  files: number;
  log: (line: string) => void;
}

/**
 * Decode + resize throughput of cnnkit's data pipeline (sharp) at `size` px: real JPEG
 * files written to a temp folder by `benchDataPipeline`, one uncached epoch through
 * `imageDatasetFromDirectory` with the consumer doing nothing.
 */
export async function benchDecode(options: DecodeBenchOptions): Promise<BenchOutcome> {
  const { size, batch, files, log } = options;
  try {
    // Imported here: @cnnkit/data loads sharp, which the GPU bundle (gpu/prepare.sh) does not carry.
    const [row] = await (await import('@cnnkit/data')).benchDataPipeline({ counts: [files], imageSize: [size, size], batchSize: batch, log });
    return {
      kind: 'result',
      result: { engine: 'sharp-decode', task: 'decode', size, batch, imagesPerSecond: row.imagesPerSecond, repeats: 1, note: `${row.files} JPEG files 500x375, one uncached epoch` },
    };
  } catch (error) {
    return { kind: 'skipped', skipped: { engine: 'sharp-decode', task: 'decode', size, reason: `data pipeline failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}` } };
  }
}

/**
 * Peak RSS of the pipeline over 5k and 50k files (minutes; behind `--data-memory`): memory
 * must not grow with the folder. Runs in a child process (see data-memory-child.ts).
 */
export async function benchDataMemory(log: (line: string) => void, counts: readonly number[] = [5000, 50000]): Promise<BenchDataResult[]> {
  const out = await runChild(process.execPath, ['--expose-gc', MEMORY_CHILD, JSON.stringify(counts)], 60 * 60_000);
  const rows = out.records[0]?.rows;
  if (out.code !== 0 || !Array.isArray(rows)) {
    log(`data pipeline memory: failed (exit ${out.code}): ${out.stderrTail}`);
    return [];
  }
  return rows as BenchDataResult[];
}
