import { CnnkitError } from '@cnnkit/tensor-core';
import type { PreviewGridResult, RawImage, TitleFont } from '@cnnkit/data';
import type { CamResult } from './compute-cam.js';
import { loadPeer } from './optional-peer.js';
import { overlayPixels, type OverlayOptions } from './overlay-heatmap.js';
import { writeAtomic } from './write-overlay.js';

export interface ContactSheetItem {
  image: RawImage;
  cam: CamResult;
  /** Drawn above the original (e.g. the file name and predicted class). */
  title: string;
}

export interface ContactSheetOptions extends OverlayOptions {
  /** The PNG to write. */
  out: string;
  /** Items per row; each item takes two cells (original, overlay). Default 2. */
  cols?: number;
  /** Each picture is fitted into a square of this many pixels. Default 180. */
  cellSize?: number;
  font?: TitleFont;
  /** The model's class names in label order: overlays are titled `cat: 97.3%`, as `cnnkit preview` titles by class name. */
  classNames?: readonly string[];
}

/**
 * The titles of a contact sheet, two per item: its `title` above the original, and
 * the predicted class's name (or `class N` without names) and probability above the overlay.
 *
 * @example
 * ```ts
 * contactSheetTitles([{ image, cam, title: 'cat.1.jpg' }], ['cat', 'dog']); // ['cat.1.jpg', 'cat: 97.3%']
 * ```
 */
export function contactSheetTitles(items: readonly Pick<ContactSheetItem, 'cam' | 'title'>[], classNames?: readonly string[]): string[] {
  return items.flatMap((item) => [item.title, camTitle(item.cam, classNames)]);
}

/**
 * A CAM's predicted class and probability as a picture's title: `cat: 97.3%` (or
 * `class 1: 97.3%` without a name for that index).
 *
 * @example
 * ```ts
 * await writeOverlay('cam/cat.png', image, cam, { title: camTitle(cam, ['cat', 'dog']) });
 * ```
 */
export function camTitle(cam: Pick<CamResult, 'classIndex' | 'score'>, classNames?: readonly string[]): string {
  return `${classNames?.[cam.classIndex] ?? `class ${cam.classIndex}`}: ${(cam.score * 100).toFixed(1)}%`;
}

/**
 * One PNG with, for each item, the original image and its heatmap overlay side by
 * side, titled (the original with `title`, the overlay with the class name, or
 * `class N` without `classNames`, and its probability).
 * Drawn by `@cnnkit/data`'s `previewGrid`, written atomically.
 *
 * @example
 * ```ts
 * await contactSheet(files.map((f, i) => ({ image: images[i], cam: cams[i], title: f })), { out: 'run/cam/sheet.png', cols: 2 });
 * ```
 */
export async function contactSheet(items: readonly ContactSheetItem[], options: ContactSheetOptions): Promise<PreviewGridResult> {
  const cols = options.cols ?? 2;
  if (!Number.isInteger(cols) || cols < 1) throw new CnnkitError('BAD_OPTION', `contactSheet: expected cols a positive integer, received ${cols}`);
  if (items.length === 0) throw new CnnkitError('BAD_OPTION', 'contactSheet: expected at least one item, received none');
  const { previewGrid } = await loadPeer('@cnnkit/data', () => import('@cnnkit/data'));
  const samples: RawImage[] = [];
  for (const item of items) samples.push(item.image, await overlayPixels(item.image, item.cam, options));
  const titles = contactSheetTitles(items, options.classNames);
  let result: PreviewGridResult | undefined;
  await writeAtomic(options.out, async (tmp) => {
    result = await previewGrid(samples, {
      out: tmp,
      titles,
      cols: cols * 2,
      rows: Math.ceil(items.length / cols),
      cellSize: options.cellSize,
      font: options.font,
    });
  });
  return { ...result!, out: options.out };
}
