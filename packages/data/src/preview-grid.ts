import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CnnkitError } from '@cnnkit/tensor-core';
import sharp, { type OverlayOptions } from 'sharp';
import { renderBitmapText } from './bitmap-font.js';
import { decodeImage, type RawImage } from './decode-image.js';

/** `auto`: a system font if SVG text renders here, else the built-in bitmap font. */
export type TitleFont = 'auto' | 'system' | 'bitmap';

export interface PreviewGridOptions {
  /** Where to write the PNG. */
  out: string;
  /** One title per sample (e.g. its class name), drawn above it. */
  titles?: readonly string[];
  /** Default 3 x 3. Samples past `cols * rows` are not drawn. */
  cols?: number;
  rows?: number;
  /** Each picture is fitted into a square of this many pixels. Default 180. */
  cellSize?: number;
  font?: TitleFont;
}

export interface PreviewGridResult {
  out: string;
  width: number;
  height: number;
  /** Which font drew the titles. */
  font: 'system' | 'bitmap';
}

const PAD = 8;
const TITLE_HEIGHT = 24;
const FONT_SIZE = 16;
const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function svgTitle(text: string, width: number): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${TITLE_HEIGHT}">` +
      `<text x="${width / 2}" y="${TITLE_HEIGHT - 7}" text-anchor="middle" font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif" font-size="${FONT_SIZE}" fill="#000">${escapeXml(text)}</text></svg>`,
  );
}

let systemFont: Promise<boolean> | null = null;

/**
 * Whether SVG text comes out as ink on this machine: with no font installed,
 * librsvg draws nothing and throws nothing, so we look at the pixels.
 */
export function systemFontRenders(): Promise<boolean> {
  systemFont ??= sharp({ create: { width: 60, height: TITLE_HEIGHT, channels: 3, background: WHITE } })
    .composite([{ input: svgTitle('Ag', 60), left: 0, top: 0 }])
    .raw()
    .toBuffer()
    .then((px) => px.reduce((dark, v) => dark + (v < 128 ? 1 : 0), 0) > 20)
    .catch(() => false);
  return systemFont;
}

function fitTitle(text: string, width: number, charWidth: number): string {
  const max = Math.max(1, Math.floor(width / charWidth));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 2))}..`;
}

function bitmapTitle(text: string, width: number): { input: Buffer; raw: { width: number; height: number; channels: 4 }; dx: number; dy: number } {
  const scale = 2;
  const mask = renderBitmapText(fitTitle(text, width, 6 * scale), scale);
  const rgba = Buffer.alloc(mask.width * mask.height * 4);
  for (let i = 0; i < mask.data.length; i++) rgba[i * 4 + 3] = mask.data[i]; // black ink, alpha = coverage
  return {
    input: rgba,
    raw: { width: mask.width, height: mask.height, channels: 4 },
    dx: Math.max(0, Math.floor((width - mask.width) / 2)),
    dy: Math.floor((TITLE_HEIGHT - mask.height) / 2),
  };
}

async function cellPicture(sample: RawImage | string, size: number): Promise<Buffer> {
  const img = typeof sample === 'string' ? await decodeImage(sample, { colorMode: 'rgb' }) : sample;
  if (![1, 3, 4].includes(img.channels) || img.data.length !== img.width * img.height * img.channels) {
    throw new CnnkitError(
      'BAD_IMAGE',
      `previewGrid: expected an image of width x height x channels (1, 3 or 4) bytes, received ${img.data.length} bytes for ${img.width}x${img.height}x${img.channels}`,
    );
  }
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 | 4 } })
    .flatten({ background: WHITE })
    .resize({ width: size, height: size, fit: 'contain', background: WHITE })
    .toColourspace('srgb')
    .png()
    .toBuffer();
}

/**
 * Writes a PNG grid (3 x 3 by default) of pictures with a title above each: the
 * tutorial's "samples with their labels" and "augmented copies of one image"
 * figures. Samples are decoded images (any of 1, 3, 4 channels, e.g. from
 * `ArrayBatch`) or file paths.
 *
 * @example
 * ```ts
 * await previewGrid(images, { out: 'grid.png', titles: images.map((_, i) => ds.classNames[batch.classIndices[i]]) });
 * ```
 */
export async function previewGrid(samples: readonly (RawImage | string)[], options: PreviewGridOptions): Promise<PreviewGridResult> {
  const cols = options.cols ?? 3;
  const rows = options.rows ?? 3;
  const cell = options.cellSize ?? 180;
  for (const [name, v] of [['cols', cols], ['rows', rows], ['cellSize', cell]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new CnnkitError('BAD_OPTION', `previewGrid: expected ${name} a positive integer, received ${v}`);
  }
  if (samples.length === 0) throw new CnnkitError('BAD_OPTION', 'previewGrid: expected at least one sample, received none');
  const titles = options.titles;
  if (titles !== undefined && titles.length !== samples.length) {
    throw new CnnkitError('BAD_OPTION', `previewGrid: expected one title per sample (${samples.length}), received ${titles.length}`);
  }
  const requested = options.font ?? 'auto';
  let font: 'system' | 'bitmap';
  switch (requested) {
    case 'auto':
      font = (await systemFontRenders()) ? 'system' : 'bitmap';
      break;
    case 'system':
    case 'bitmap':
      font = requested;
      break;
    default: {
      const never: never = requested;
      throw new CnnkitError('BAD_OPTION', `previewGrid: unknown font ${JSON.stringify(never)}; expected 'auto', 'system' or 'bitmap'`);
    }
  }
  const titleHeight = titles === undefined ? 0 : TITLE_HEIGHT;
  const width = cols * cell + (cols + 1) * PAD;
  const height = rows * (cell + titleHeight) + (rows + 1) * PAD;
  const shown = samples.slice(0, cols * rows);
  const layers: OverlayOptions[] = [];
  const pictures = await Promise.all(shown.map((s) => cellPicture(s, cell)));
  pictures.forEach((picture, k) => {
    const left = PAD + (k % cols) * (cell + PAD);
    const top = PAD + Math.floor(k / cols) * (cell + titleHeight + PAD);
    layers.push({ input: picture, left, top: top + titleHeight });
    if (titles !== undefined) {
      if (font === 'system') {
        layers.push({ input: svgTitle(fitTitle(titles[k], cell, FONT_SIZE * 0.62), cell), left, top });
      } else {
        const t = bitmapTitle(titles[k], cell);
        layers.push({ input: t.input, raw: t.raw, left: left + t.dx, top: top + t.dy });
      }
    }
  });
  const png = await sharp({ create: { width, height, channels: 3, background: WHITE } }).composite(layers).png().toBuffer();
  // Written by Node, not by libvips: a full disk is then an errno the caller can report,
  // and the temporary file and rename leave no half-written PNG under its name.
  await mkdir(dirname(options.out), { recursive: true });
  const tmp = join(dirname(options.out), `.${basename(options.out)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, png);
    await rename(tmp, options.out);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return { out: options.out, width, height, font };
}
