import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CnnkitError, createRng, type Rng } from '@cnnkit/tensor-core';
import sharp from 'sharp';
import { orderedPrefetch } from './prefetch.js';

export interface SampleDataOptions {
  /** Default 1337. The same seed writes the same bytes (with the same sharp/libvips). */
  seed?: number;
  /** Images per class. Default 120. */
  perClass?: number;
  /** Smallest and largest side in pixels (each side drawn independently). Default 100 and 200. */
  minSize?: number;
  maxSize?: number;
  /** Add the deliberately broken and ignorable files. Default true. */
  includeBroken?: boolean;
}

export interface SampleImage {
  /** Relative to the output folder, with `/`. */
  file: string;
  className: string;
  format: 'jpeg' | 'png' | 'webp';
  width: number;
  height: number;
}

export interface SampleDataResult {
  dir: string;
  classNames: string[];
  images: SampleImage[];
  /** Files written broken on purpose, and how they are broken. */
  broken: { file: string; reason: string }[];
  /** Non-image files written on purpose (a check lists them as ignored). */
  ignored: string[];
}

/** The two classes: a circle drawn as a thick ring (hollow) or a filled, slightly rotated square. */
const CLASSES = ['circles', 'squares'] as const;
type Shape = (typeof CLASSES)[number];

function randomColour(rng: Rng): [number, number, number] {
  return [rng.int(256), rng.int(256), rng.int(256)];
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/**
 * Draws one picture into an RGB buffer: a background with a gentle gradient, one
 * large shape in a colour far from the background (high contrast, so edges are easy
 * to find whatever the colours), at a random place, size and angle, and light pixel noise. Circles are thick rings (the background shows
 * through their middle), squares are filled: a cue a small CNN picks up in a few
 * epochs even at 32x32 pixels, and that survives the stretch to a square picture
 * (which turns circles into ellipses). Colour carries no class information: both
 * classes draw their colours the same way, so a model must learn the shape.
 */
export function drawShape(shape: Shape, width: number, height: number, rng: Rng): Buffer {
  const bg = randomColour(rng);
  let fg = randomColour(rng);
  while (distance(fg, bg) < 200) fg = randomColour(rng);
  const gradient = [rng.uniform(-40, 40), rng.uniform(-40, 40), rng.uniform(-40, 40)];
  const side = Math.min(width, height);
  const r = rng.uniform(0.25, 0.39) * side; // the circle's radius, or half the square's side
  const ring = 0.14 * side; // the circle's line width
  const angle = rng.uniform(-Math.PI / 9, Math.PI / 9);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // How far the shape reaches from its centre along x and y (a rotated square reaches r(|cos|+|sin|)), so it fits whole.
  const reach = shape === 'circles' ? r : r * (Math.abs(cos) + Math.abs(sin));
  const cx = rng.uniform(reach, width - reach);
  const cy = rng.uniform(reach, height - reach);
  const noise = rng.uniform(2, 8);
  const buf = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      let inside: boolean;
      if (shape === 'circles') {
        const d2 = dx * dx + dy * dy;
        inside = d2 <= r * r && d2 >= (r - ring) * (r - ring);
      } else {
        inside = Math.abs(dx * cos + dy * sin) <= r && Math.abs(-dx * sin + dy * cos) <= r;
      }
      const t = y / height;
      const o = (y * width + x) * 3;
      for (let k = 0; k < 3; k++) {
        const base = inside ? fg[k] : bg[k] + gradient[k] * t;
        buf[o + k] = Math.max(0, Math.min(255, Math.round(base + rng.uniform(-noise, noise))));
      }
    }
  }
  return buf;
}

async function encode(raw: Buffer, width: number, height: number, format: SampleImage['format']): Promise<Buffer> {
  const img = sharp(raw, { raw: { width, height, channels: 3 } });
  switch (format) {
    case 'jpeg':
      return img.jpeg({ quality: 88 }).toBuffer();
    case 'png':
      return img.png().toBuffer();
    case 'webp':
      return img.webp({ quality: 88 }).toBuffer();
    default: {
      const never: never = format;
      throw new Error(`unreachable format ${String(never)}`);
    }
  }
}

const EXTENSION: Record<SampleImage['format'], string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/**
 * Writes a small synthetic class-folder image set: `circles/` (thick rings) and
 * `squares/` (filled), random colours, positions, sizes (100..200 px) and formats
 * (jpg, png, webp), that the tutorial CNN learns in a few epochs at 32x32 pixels. With `includeBroken` (default) it adds
 * a truncated JPEG, a zero-byte file and a text file named .jpg (which a check
 * reports as broken) and Thumbs.db, .DS_Store and a README.txt (ignored).
 * Refuses a non-empty folder, so it never overwrites anyone's files.
 *
 * @example
 * ```ts
 * const { images, broken } = await writeSampleData('sample-data', { seed: 1337 });
 * ```
 */
export async function writeSampleData(outDir: string, options: SampleDataOptions = {}): Promise<SampleDataResult> {
  const seed = options.seed ?? 1337;
  const perClass = options.perClass ?? 120;
  const minSize = options.minSize ?? 100;
  const maxSize = options.maxSize ?? 200;
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new CnnkitError('BAD_OPTION', `writeSampleData: expected perClass a positive integer, received ${perClass}`);
  }
  if (!Number.isInteger(minSize) || !Number.isInteger(maxSize) || minSize < 8 || maxSize < minSize) {
    throw new CnnkitError('BAD_OPTION', `writeSampleData: expected integer sizes with 8 <= minSize <= maxSize, received ${minSize}..${maxSize}`);
  }
  const existing = await readdir(outDir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw new CnnkitError('BAD_OUT_DIR', `writeSampleData: cannot use "${outDir}" as the output folder (${e.code ?? e.message})`);
  });
  if (existing.length > 0) {
    throw new CnnkitError('BAD_OUT_DIR', `writeSampleData: output folder "${outDir}" is not empty (${existing.length} entries); expected a new or empty folder`);
  }
  for (const c of CLASSES) await mkdir(join(outDir, c), { recursive: true });

  // Every image's parameters come from its own forked stream, so images do not
  // depend on the order in which they are encoded.
  const root = createRng(seed);
  const plans = CLASSES.flatMap((className) =>
    Array.from({ length: perClass }, (_, i) => {
      const rng = root.fork(`${className}/${i}`);
      const width = minSize + rng.int(maxSize - minSize + 1);
      const height = minSize + rng.int(maxSize - minSize + 1);
      const pick = rng.next();
      const format: SampleImage['format'] = pick < 0.5 ? 'jpeg' : pick < 0.75 ? 'png' : 'webp';
      const stem = className.slice(0, -1);
      return { className, i, rng, width, height, format, file: `${className}/${stem}_${String(i).padStart(3, '0')}.${EXTENSION[format]}` };
    }),
  );
  const images: SampleImage[] = [];
  const written = orderedPrefetch(
    plans.length,
    async (k) => {
      const p = plans[k];
      const bytes = await encode(drawShape(p.className, p.width, p.height, p.rng), p.width, p.height, p.format);
      await writeFile(join(outDir, p.file), bytes);
      return p;
    },
    { parallelism: 4, ahead: 8 },
  );
  for await (const p of written) images.push({ file: p.file, className: p.className, format: p.format, width: p.width, height: p.height });

  const broken: SampleDataResult['broken'] = [];
  const ignored: string[] = [];
  if (options.includeBroken ?? true) {
    const rng = root.fork('broken');
    const jpeg = await encode(drawShape('circles', 160, 120, rng), 160, 120, 'jpeg');
    const put = async (file: string, data: Buffer | string) => writeFile(join(outDir, file), data);
    await put('circles/circle_truncated.jpg', jpeg.subarray(0, jpeg.length >> 1));
    broken.push({ file: 'circles/circle_truncated.jpg', reason: 'truncated JPEG: cut at half its length' });
    await put('squares/square_empty.jpg', Buffer.alloc(0));
    broken.push({ file: 'squares/square_empty.jpg', reason: 'empty file (0 bytes)' });
    await put('squares/square_notes.jpg', 'shopping list: milk, eggs\n');
    broken.push({ file: 'squares/square_notes.jpg', reason: 'a text file named .jpg' });
    await put('circles/Thumbs.db', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    await put('squares/.DS_Store', Buffer.from('\0\0\0\x01Bud1', 'latin1'));
    await put('README.txt', `cnnkit sample data (seed ${seed}): ${perClass} images per class in circles/ and squares/, plus a few broken files on purpose.\n`);
    ignored.push('README.txt', 'circles/Thumbs.db', 'squares/.DS_Store');
  }
  return { dir: outDir, classNames: [...CLASSES], images, broken, ignored };
}
