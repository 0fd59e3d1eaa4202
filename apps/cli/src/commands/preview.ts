import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { augmentation, augmentedPreviews, parseAugmentSpec } from '@cnnkit/augment';
import { decodeImage, IMAGE_EXTENSIONS, previewGrid, resizeImage, type PreviewGridResult, type RawImage } from '@cnnkit/data';
import { createRng } from '@cnnkit/tensor-core';
import { checkDataFolder } from '../data-folder.js';
import { useBackend } from '../model-dir.js';
import { writableFile } from '../writable.js';
import { guardWrite } from '../write-failure.js';

export interface PreviewOptions {
  out: string;
  augment?: string;
  imageSize: [number, number];
  seed: number;
}

async function listImages(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listImages(path)));
    else if (IMAGE_EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x))) out.push(path);
  }
  return out;
}

/**
 * `count` random images of the folder (seeded), decoded and resized to the
 * training size, with their class names; broken files are skipped (`check`
 * reports them), so a preview never needs a validation pass over the folder.
 */
export async function sampleImages(data: string, count: number, size: [number, number], seed: number): Promise<{ image: RawImage; className: string; file: string }[]> {
  const classes = await checkDataFolder('preview', data, 1);
  const files: { file: string; className: string }[] = [];
  for (const { className } of classes) for (const file of await listImages(join(data, className))) files.push({ file, className });
  const order = createRng(seed).fork('preview').permutation(files.length);
  const picked: { image: RawImage; className: string; file: string }[] = [];
  for (const i of order) {
    if (picked.length === count) break;
    const { file, className } = files[i];
    const image = await decodeImage(file).then((img) => resizeImage(img, size), () => null);
    if (image !== null) picked.push({ image, className, file: relative(data, file) });
  }
  return picked;
}

/**
 * `cnnkit preview DATA --out grid.png`: a 3x3 grid of random samples titled with
 * their class; with `augment`, nine augmented copies of one image (as the
 * tutorial shows its data augmentation).
 */
export async function previewCommand(data: string, options: PreviewOptions): Promise<PreviewGridResult & { files: string[] }> {
  // Parse the spec before any work, so a typo fails at once.
  const layers = options.augment === undefined ? null : parseAugmentSpec(options.augment, { seed: options.seed });
  await checkDataFolder('preview', data, 1);
  await writableFile('preview', '--out', options.out);
  const [h, w] = options.imageSize;
  const context = { operation: 'preview', what: 'the preview grid', path: options.out, intact: () => 'nothing was written under that name (a file there before is unchanged)', next: 'then run the command again' };
  if (layers === null) {
    const picked = await sampleImages(data, 9, options.imageSize, options.seed);
    const grid = await guardWrite(context, () => previewGrid(picked.map((p) => p.image), { out: options.out, titles: picked.map((p) => p.className), cellSize: Math.max(h, w) }));
    return { ...grid, files: picked.map((p) => p.file) };
  }
  const [one] = await sampleImages(data, 1, options.imageSize, options.seed);
  await useBackend('auto', 'infer');
  const copies = await augmentedPreviews(one.image.data, [h, w, 3], augmentation(layers, { seed: options.seed }), { count: 9, seed: options.seed });
  const grid = await guardWrite(context, () =>
    previewGrid(
      copies.map((data) => ({ data, width: w, height: h, channels: 3 })),
      { out: options.out, titles: copies.map((_, i) => `${one.className} #${i + 1}`), cellSize: Math.max(h, w) },
    ),
  );
  return { ...grid, files: [one.file] };
}
