import { basename, extname, join } from 'node:path';
import { CAM_METHODS, computeCam, type CamMethod } from '@cnnkit/cam';
import { camTitle, contactSheet, writeOverlay, type ContactSheetItem } from '@cnnkit/cam/node';
import { decodeImage, resizeImage } from '@cnnkit/data';
import { tf } from '@cnnkit/tensor-core';
import { inputSize, openModel, useBackend } from '../model-dir.js';
import type { TrainBackend } from '../options.js';
import { writableDir } from '../writable.js';
import { guardWrite, type WriteContext } from '../write-failure.js';

export { CAM_METHODS, type CamMethod };

/** One row of `cnnkit cam --json` (DESIGN.md's shape). */
export interface CamRow {
  file: string;
  class: string;
  method: CamMethod;
  /** `[y, x]` of the heatmap's maximum in the image file's pixels. */
  peak: [number, number];
  /** At the feature layer's resolution, 0..1, row by row. */
  heatmap: number[][];
}

export interface CamCommandResult {
  rows: CamRow[];
  /** One overlay PNG per image, and the contact sheet of all of them. */
  overlays: string[];
  sheet: string;
}

/** `name.jpg` → `name-gradcam.png`; a counter keeps two images of one name apart. */
function overlayName(file: string, method: CamMethod, used: Set<string>): string {
  const stem = basename(file, extname(file));
  let name = `${stem}-${method.replace('++', 'pp')}.png`;
  for (let i = 2; used.has(name); i++) name = `${stem}-${i}-${method.replace('++', 'pp')}.png`;
  used.add(name);
  return name;
}

/**
 * `cnnkit cam RUN/model IMG... --out DIR`: where in each image the evidence for
 * its predicted class lies, as heatmap overlays on the original pictures plus a
 * contact sheet (original and overlay side by side).
 */
export async function camCommand(
  modelPath: string,
  files: readonly string[],
  options: { out: string; method: CamMethod; backend: TrainBackend },
): Promise<CamCommandResult> {
  await writableDir('cam', '--out', options.out);
  await useBackend(options.backend, 'infer');
  const { model, classNames } = await openModel('cam', modelPath);
  try {
    const [h, w] = inputSize('cam', model);
    const rows: CamRow[] = [];
    const overlays: string[] = [];
    const items: ContactSheetItem[] = [];
    const used = new Set<string>();
    const context = (what: string, path: string): WriteContext => ({
      operation: 'cam',
      what,
      path,
      intact: () => (overlays.length === 0 ? 'nothing was written under its name' : `the ${overlays.length} picture(s) before it are complete, and nothing was written under its name`),
      next: 'then run the command again',
    });
    for (const file of files) {
      const original = await decodeImage(file, { colorMode: 'rgb' });
      const small = await resizeImage(original, [h, w]);
      const x = tf.tensor4d(Float32Array.from(small.data), [1, h, w, 3]);
      let cam;
      try {
        [cam] = await computeCam(model, x, { method: options.method });
      } finally {
        x.dispose();
      }
      const out = join(options.out, overlayName(file, options.method, used));
      // Titled as the preview grid titles its pictures: the class name and its probability.
      await guardWrite(context('the CAM picture', out), () => writeOverlay(out, original, cam, { title: camTitle(cam, classNames) }));
      overlays.push(out);
      const className = classNames[cam.classIndex] ?? `class_${cam.classIndex}`;
      // The original is titled with its file; the overlay with the class name and probability (contactSheetTitles).
      items.push({ image: original, cam, title: basename(file) });
      const heatmap = Array.from({ length: cam.height }, (_, r) => Array.from(cam.heatmap.subarray(r * cam.width, (r + 1) * cam.width)));
      // computeCam's peak is in model-input pixels; the file may be larger (training stretches it to the input size).
      const peak: [number, number] = [Math.round((cam.peak[0] * original.height) / h), Math.round((cam.peak[1] * original.width) / w)];
      rows.push({ file, class: className, method: options.method, peak, heatmap });
    }
    const sheet = join(options.out, `cam-${options.method.replace('++', 'pp')}-sheet.png`);
    await guardWrite(context('the contact sheet', sheet), () => contactSheet(items, { out: sheet, cellSize: 160, classNames }));
    return { rows, overlays, sheet };
  } finally {
    model.dispose();
  }
}

export function formatCam(r: CamCommandResult): string {
  return [
    ...r.rows.map((row, i) => `${row.file}: ${row.class}, peak at [y ${row.peak[0]}, x ${row.peak[1]}] -> ${r.overlays[i]}`),
    `contact sheet: ${r.sheet}`,
  ].join('\n');
}
