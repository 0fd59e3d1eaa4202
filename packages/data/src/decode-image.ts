import { readFile } from 'node:fs/promises';
import { CnnkitError } from '@cnnkit/tensor-core';
import { decode as decodeBmp } from 'bmp-ts';
import sharp, { type KernelEnum, type OutputInfo, type Sharp } from 'sharp';
import type { RawImage } from './resize-pixels.js';

/** How many channels the decoded pixels have: Keras's `color_mode`. */
export type ColorMode = 'rgb' | 'grayscale' | 'rgba';

export type { RawImage } from './resize-pixels.js';

/**
 * Default decompression-bomb guard: Pillow's `DecompressionBombError` threshold
 * (2 x 89,478,485 pixels), so a folder that Keras can load, cnnkit can load too.
 */
export const DEFAULT_PIXEL_LIMIT = 178_956_970;

export interface DecodeOptions {
  colorMode?: ColorMode;
  /** Largest width x height accepted; checked from the header before any pixel is decoded. */
  pixelLimit?: number;
}

/** The `reason` of a file that is not there (removed after it was listed, or mistyped). */
const MISSING_FILE = 'no such file';

/** A file that is not a decodable image. `reason` is short, for reports. */
export class ImageDecodeError extends CnnkitError {
  readonly reason: string;
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    // A missing file is not a format problem: say so, not which formats decode.
    const message = reason === MISSING_FILE ? `decodeImage: "${file}" does not exist` : `decodeImage: could not decode "${file}": ${reason}; expected a complete JPEG, PNG, GIF, BMP or WebP file`;
    super('IMAGE_DECODE', message, options);
    this.reason = reason;
    this.file = file;
  }
}

export function channelsOf(mode: ColorMode): number {
  switch (mode) {
    case 'rgb':
      return 3;
    case 'grayscale':
      return 1;
    case 'rgba':
      return 4;
    default: {
      const never: never = mode;
      throw new CnnkitError('BAD_OPTION', `colorMode: expected 'rgb', 'grayscale' or 'rgba', received ${JSON.stringify(never)}`);
    }
  }
}

type Format = 'jpeg' | 'png' | 'gif' | 'bmp' | 'webp';

/** By content, not by name: a PNG named .jpg is a valid PNG. */
function sniffFormat(buf: Uint8Array): Format | null {
  const b = buf;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  return null;
}

function describeStart(buf: Uint8Array): string {
  const head = buf.subarray(0, 16);
  const printable = head.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127));
  if (printable) return `looks like text: ${JSON.stringify(Buffer.from(head).toString('latin1'))}`;
  return `starts with bytes ${Array.from(head.subarray(0, 8), (c) => c.toString(16).padStart(2, '0')).join(' ')}`;
}

/**
 * sharp (libvips) has no BMP loader in its prebuilt binaries, so BMP goes through
 * `bmp-ts` (pure TypeScript, maintained) to RGBA, then into sharp as raw pixels.
 */
function bmpToRaw(file: string, buf: Buffer, pixelLimit: number): RawImage {
  // The header is read before decoding so a bomb is refused without allocating it.
  if (buf.length >= 26) {
    const width = Math.abs(buf.readInt32LE(18));
    const height = Math.abs(buf.readInt32LE(22));
    if (width * height > pixelLimit) throw overLimit(file, width, height, pixelLimit);
  }
  let bmp;
  try {
    bmp = decodeBmp(buf, { toRGBA: true });
  } catch (cause) {
    throw new ImageDecodeError(file, `truncated or corrupt BMP: ${(cause as Error).message}`, { cause });
  }
  const { width, height } = bmp;
  const data = new Uint8Array(bmp.data.buffer, bmp.data.byteOffset, width * height * 4);
  if (width <= 0 || height <= 0 || bmp.data.length < width * height * 4) {
    throw new ImageDecodeError(file, `truncated or corrupt BMP: ${width}x${height} header, ${bmp.data.length} bytes of pixels`);
  }
  // Only 32-bit BMPs can carry alpha, and many of those leave it all zero (unused).
  let alphaUsed = bmp.bitPP === 32;
  if (alphaUsed) {
    alphaUsed = false;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) { alphaUsed = true; break; }
  }
  if (!alphaUsed) for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { data, width, height, channels: 4 };
}

/**
 * Whether the file stops before its format's end marker. libvips's own message
 * for a truncated file is sometimes lost under concurrent decodes ("Unknown
 * error"), so the report says "truncated" from the bytes themselves.
 */
function endsEarly(format: Exclude<Format, 'bmp'>, buf: Buffer): boolean {
  switch (format) {
    case 'jpeg': {
      // Some writers pad after EOI, so look for it near the end rather than at it.
      const tail = buf.subarray(Math.max(0, buf.length - 1024));
      for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false;
      return true;
    }
    case 'png':
      return buf.lastIndexOf('IEND', undefined, 'latin1') < 0;
    case 'gif':
      return buf.subarray(Math.max(0, buf.length - 64)).lastIndexOf(0x3b) < 0;
    case 'webp':
      return buf.readUInt32LE(4) + 8 > buf.length;
    default: {
      const never: never = format;
      throw new Error(`unreachable format ${String(never)}`);
    }
  }
}

function overLimit(file: string, width: number, height: number, limit: number): ImageDecodeError {
  return new ImageDecodeError(file, `over the pixel limit: ${width}x${height} = ${width * height} pixels > ${limit}`);
}

/**
 * Decodes a whole image file to 8-bit pixels in the asked colour mode. Every
 * pixel is decoded (not just the header), so a truncated file fails here.
 *
 * What happens to odd but valid images (and why):
 * - EXIF orientation is NOT applied, like Keras/`tf.io.decode_image`, so the same
 *   file gives the same pixels in both and a model trained in one works in the other.
 * - 16-bit images are reduced to 8 bits; CMYK (and images with an ICC profile) are
 *   converted to sRGB.
 * - Alpha is dropped for `rgb`/`grayscale` (not composited on a background, as TF
 *   does); `rgba` adds an opaque alpha where there is none.
 * - GIF and animated WebP: the first frame.
 *
 * @example
 * ```ts
 * const img = await decodeImage('cats/1.jpg', { colorMode: 'rgb' });
 * img.data.length === img.width * img.height * 3;
 * ```
 */
export async function decodeImage(file: string, options: DecodeOptions = {}, content?: Buffer): Promise<RawImage> {
  const colorMode = options.colorMode ?? 'rgb';
  const pixelLimit = options.pixelLimit ?? DEFAULT_PIXEL_LIMIT;
  const channels = channelsOf(colorMode);
  let buf: Buffer;
  try {
    buf = content ?? (await readFile(file));
  } catch (cause) {
    const err = cause as NodeJS.ErrnoException;
    throw new ImageDecodeError(file, err.code === 'ENOENT' ? MISSING_FILE : `unreadable: ${err.code ?? err.message}`, { cause });
  }
  if (buf.length === 0) throw new ImageDecodeError(file, 'empty file (0 bytes)');
  const format = sniffFormat(buf);
  if (format === null) throw new ImageDecodeError(file, `not an image: ${describeStart(buf)}`);

  let pipeline: Sharp;
  if (format === 'bmp') {
    const raw = bmpToRaw(file, buf, pixelLimit);
    pipeline = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 4 } });
  } else {
    // failOn 'error' also fails on truncation (levels are cumulative) but, unlike
    // 'warning', keeps valid files that libjpeg merely warns about (extra bytes after EOI).
    pipeline = sharp(buf, { failOn: 'error', limitInputPixels: pixelLimit, pages: 1 });
  }
  switch (colorMode) {
    case 'rgb':
      pipeline = pipeline.removeAlpha().toColourspace('srgb');
      break;
    case 'grayscale':
      pipeline = pipeline.removeAlpha().toColourspace('b-w');
      break;
    case 'rgba':
      pipeline = pipeline.ensureAlpha().toColourspace('srgb');
      break;
    default: {
      const never: never = colorMode;
      throw new Error(`unreachable colour mode ${String(never)}`);
    }
  }
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (cause) {
    const message = (cause as Error).message.split('\n')[0].trim();
    if (/pixel limit/i.test(message)) {
      const meta = await sharp(buf, { limitInputPixels: false }).metadata().catch(() => null);
      throw meta?.width && meta.height
        ? overLimit(file, meta.width, meta.height, pixelLimit)
        : new ImageDecodeError(file, `over the pixel limit of ${pixelLimit}`, { cause });
    }
    // A truncated file is named by what it lacks; libvips's own text for it varies from
    // run to run ("premature end of JPEG image" or "Unknown error"), so it stays in `cause`.
    if (format !== 'bmp' && endsEarly(format, buf)) throw new ImageDecodeError(file, `truncated ${format.toUpperCase()} (${buf.length} bytes, no end marker)`, { cause });
    throw new ImageDecodeError(file, `corrupt ${format.toUpperCase()}: ${message}`, { cause });
  }
  if (out.info.channels !== channels) {
    throw new ImageDecodeError(file, `decoded to ${out.info.channels} channels, expected ${channels} for colorMode '${colorMode}'`);
  }
  const data = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length);
  return { data, width: out.info.width, height: out.info.height, channels };
}
