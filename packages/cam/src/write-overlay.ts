import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RawImage, TitleFont } from '@cnnkit/data';
import { makeDirs } from '@cnnkit/tensor-core';
import type { CamResult } from './compute-cam.js';
import { loadPeer } from './optional-peer.js';
import { overlayHeatmap, overlayPixels, type OverlayOptions } from './overlay-heatmap.js';

export interface WriteOverlayOptions extends OverlayOptions {
  /** Drawn above the overlay (e.g. `cat: 97.3%`, see `camTitle`), as `previewGrid` titles its pictures; the PNG is then that titled card. */
  title?: string;
  font?: TitleFont;
}

/**
 * Writes `path` atomically: into a temporary file in the same directory, then a
 * rename, so a reader (or a crash) never sees half a PNG. The folders are made one
 * level at a time (`makeDirs`), so a path under /proc fails instead of hanging.
 */
export async function writeAtomic(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await makeDirs(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Writes the overlay PNG of `overlayHeatmap` to `path` (directories created,
 * temporary file then rename); with `title`, the overlay under that title, drawn
 * by `@cnnkit/data`'s `previewGrid` at the image's own size.
 *
 * @example
 * ```ts
 * await writeOverlay('run/cam/cat-1.png', image, cam, { alpha: 0.4, colormap: 'viridis' });
 * ```
 */
export async function writeOverlay(path: string, image: RawImage, cam: CamResult, options: WriteOverlayOptions = {}): Promise<void> {
  if (options.title === undefined) {
    const png = await overlayHeatmap(image, cam, options);
    await writeAtomic(path, (tmp) => writeFile(tmp, png));
    return;
  }
  const title = options.title;
  const { previewGrid } = await loadPeer('@cnnkit/data', () => import('@cnnkit/data'));
  const px = await overlayPixels(image, cam, options);
  await writeAtomic(path, async (tmp) => {
    await previewGrid([px], { out: tmp, titles: [title], cols: 1, rows: 1, cellSize: Math.max(px.width, px.height), font: options.font });
  });
}
