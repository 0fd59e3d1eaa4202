import { availableParallelism } from 'node:os';
import { CnnkitError } from '@cnnkit/tensor-core';
import { DEFAULT_PIXEL_LIMIT, decodeImage, ImageDecodeError } from './decode-image.js';
import { folderKind, relativePath, walkFiles } from './image-files.js';
import { orderedPrefetch } from './prefetch.js';

/** One file that did not decode, and why. `file` is relative to the checked folder. */
export interface BrokenFile {
  file: string;
  reason: string;
}

/**
 * The `cnnkit check --json` document. `files` counts the image files checked
 * (`valid + broken.length`); `ignored` lists the non-image files that were skipped
 * by extension. Paths are relative to the checked folder, with `/`.
 */
export interface CheckReport {
  files: number;
  valid: number;
  broken: BrokenFile[];
  ignored: string[];
}

export interface CheckOptions {
  /** Largest width x height accepted (decompression-bomb guard). Default {@link DEFAULT_PIXEL_LIMIT}. */
  pixelLimit?: number;
  followLinks?: boolean;
  /** Decodes in flight. Default: twice the CPU count. */
  parallelism?: number;
  /** Called after each file. */
  onProgress?: (done: number, total: number) => void;
}

export function defaultParallelism(): number {
  return Math.max(2, availableParallelism() * 2);
}

/** Why a load failed, in one line; a bug (not a bad file) is rethrown. */
export function brokenReason(error: unknown): string {
  if (error instanceof ImageDecodeError) return error.reason;
  throw error;
}

/**
 * Runs `load` over `files` with bounded concurrency and sorts them into valid
 * and broken. Shared by {@link checkImages} and the dataset's own validation.
 */
export async function sortByDecoding(
  dir: string,
  files: readonly string[],
  load: (file: string) => Promise<unknown>,
  parallelism: number,
  onProgress?: (done: number, total: number) => void,
): Promise<{ valid: string[]; broken: BrokenFile[] }> {
  const valid: string[] = [];
  const broken: BrokenFile[] = [];
  const outcomes = orderedPrefetch(
    files.length,
    async (i) => {
      try {
        await load(files[i]);
        return null;
      } catch (error) {
        return brokenReason(error);
      }
    },
    { parallelism, ahead: parallelism * 2 },
  );
  let i = 0;
  for await (const reason of outcomes) {
    if (reason === null) valid.push(files[i]);
    else broken.push({ file: relativePath(dir, files[i]), reason });
    i++;
    onProgress?.(i, files.length);
  }
  return { valid, broken };
}

/**
 * Decodes every image file below `dir` (every pixel, not just the header) and
 * reports the ones that fail: truncated, empty, not an image, over the pixel
 * limit, unreadable. Valid odd files (a PNG named .jpg, grayscale, CMYK, 16-bit,
 * alpha) pass. Never modifies or deletes anything; see {@link quarantine} to move
 * the broken files away.
 *
 * @example
 * ```ts
 * const report = await checkImages('data/', { pixelLimit: 50_000_000 });
 * console.log(JSON.stringify(report)); // {"files":242,"valid":240,"broken":[...],"ignored":[...]}
 * ```
 */
export async function checkImages(dir: string, options: CheckOptions = {}): Promise<CheckReport> {
  const kind = await folderKind(dir);
  if (kind !== 'folder') {
    throw new CnnkitError(
      'NO_DATA_DIR',
      `checkImages: expected a folder of images, but "${dir}" ${kind === null ? 'does not exist' : 'is a file'}`,
    );
  }
  const pixelLimit = options.pixelLimit ?? DEFAULT_PIXEL_LIMIT;
  const { images, ignored } = await walkFiles(dir, options.followLinks ?? false);
  const { valid, broken } = await sortByDecoding(
    dir,
    images,
    (file) => decodeImage(file, { colorMode: 'rgb', pixelLimit }),
    options.parallelism ?? defaultParallelism(),
    options.onProgress,
  );
  return {
    files: images.length,
    valid: valid.length,
    broken,
    ignored: ignored.map((f) => relativePath(dir, f)),
  };
}
