import { CnnkitError } from '@cnnkit/tensor-core';
import type { Factor } from './factor.js';
import { FLIP_MODES, RandomFlip, type FlipMode } from './random-flip.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomContrast } from './random-contrast.js';
import { RandomCrop } from './random-crop.js';
import { RandomRotation } from './random-rotation.js';
import { RandomTranslation } from './random-translation.js';
import { RandomZoom } from './random-zoom.js';
import type { AnyTransform } from './transform-from-config.js';

/** What each `--augment` name takes, for the error messages and `--help`. */
export const AUGMENT_SPEC_NAMES = {
  flip: `flip[=${FLIP_MODES.join('|')}] (default horizontal)`,
  rotate: 'rotate=F (fraction of a turn, or LO:HI; default 0.1)',
  zoom: 'zoom=F (fraction of the size in [-1, 1], or LO:HI; default 0.1)',
  translate: 'translate=F (fraction of height and width in [-1, 1], or LO:HI; default 0.1)',
  contrast: 'contrast=F (in [0, 1]; default 0.1)',
  brightness: 'brightness=F (fraction of 0..255 in [-1, 1], or LO:HI; default 0.1)',
  crop: 'crop=HxW (random window of H by W pixels, 1..4096 each)',
} as const;

/** Largest crop side: as --image-size, since a crop larger than the picture resizes up to it. */
export const MAX_CROP_PIXELS = 4096;
/** Most items in one spec: a pipeline is a handful of transforms, each run on every batch. */
export const MAX_AUGMENT_ITEMS = 64;

export type AugmentSpecName = keyof typeof AUGMENT_SPEC_NAMES;
const NAMES = Object.keys(AUGMENT_SPEC_NAMES) as AugmentSpecName[];

function specError(spec: string, detail: string): CnnkitError {
  return new CnnkitError(
    'BAD_AUGMENT_SPEC',
    `--augment "${spec}": ${detail}; known: ${NAMES.map((n) => AUGMENT_SPEC_NAMES[n]).join(', ')}`,
  );
}

/**
 * Parses the CLI's `--augment` value: comma-separated `name` or `name=value` items, in
 * the order they are applied. An empty string or `none` means no augmentation.
 * `seed` seeds the layers (layer `i` gets `seed + i`).
 *
 * @example
 * ```ts
 * const layers = parseAugmentSpec('flip,rotate=0.1,zoom=0.2', { seed: 1337 });
 * const augment = augmentation(layers, { seed: 1337 });
 * ```
 */
export function parseAugmentSpec(spec: string, options: { seed?: number } = {}): AnyTransform[] {
  if (typeof spec !== 'string') throw specError(String(spec), 'expected a string');
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === 'none') return [];
  const items = trimmed.split(',');
  if (items.length > MAX_AUGMENT_ITEMS) throw specError(spec.slice(0, 60), `${items.length} augmentations, expected at most ${MAX_AUGMENT_ITEMS}`);
  return items.map((item, i) => {
    const part = item.trim();
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? null : part.slice(eq + 1).trim();
    const seed = options.seed === undefined ? null : options.seed + i;
    if (!(NAMES as string[]).includes(name)) {
      throw specError(spec, `unknown augmentation ${JSON.stringify(name)}`);
    }
    try {
      return build(name as AugmentSpecName, value, seed, spec);
    } catch (error) {
      if (error instanceof CnnkitError && error.code === 'BAD_OPTION') {
        throw specError(spec, `${JSON.stringify(part)} is out of range (${error.message})`);
      }
      throw error;
    }
  });
}

function build(name: AugmentSpecName, value: string | null, seed: number | null, spec: string): AnyTransform {
  const factor = (fallback: number): Factor => {
    if (value === null) return fallback;
    const parts = value.split(':');
    const nums = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
    if (parts.length > 2 || nums.some((v) => !Number.isFinite(v))) {
      throw specError(spec, `expected ${name}=NUMBER or ${name}=LO:HI, received ${JSON.stringify(`${name}=${value}`)}`);
    }
    return nums.length === 1 ? nums[0] : [nums[0], nums[1]];
  };
  switch (name) {
    case 'flip': {
      const mode = value ?? 'horizontal';
      if (!(FLIP_MODES as readonly string[]).includes(mode)) {
        throw specError(spec, `expected flip=${FLIP_MODES.join('|')}, received ${JSON.stringify(`flip=${mode}`)}`);
      }
      return new RandomFlip({ mode: mode as FlipMode, seed });
    }
    case 'rotate':
      return new RandomRotation({ factor: factor(0.1), seed });
    case 'zoom':
      return new RandomZoom({ heightFactor: factor(0.1), seed });
    case 'translate': {
      const f = factor(0.1);
      return new RandomTranslation({ heightFactor: f, widthFactor: f, seed });
    }
    case 'contrast': {
      const f = factor(0.1);
      return new RandomContrast({ factor: f, seed });
    }
    case 'brightness':
      return new RandomBrightness({ factor: factor(0.1), seed });
    case 'crop': {
      const m = value === null ? null : /^(\d+)x(\d+)$/.exec(value);
      if (m === null) throw specError(spec, `expected crop=HxW such as crop=160x160, received ${JSON.stringify(value === null ? 'crop' : `crop=${value}`)}`);
      const [height, width] = [Number(m[1]), Number(m[2])];
      if (height > MAX_CROP_PIXELS || width > MAX_CROP_PIXELS) {
        // A crop larger than the picture resizes up to it: crop=100000x100000 asked for 1e10 pixels an image.
        throw specError(spec, `expected crop=HxW of at most ${MAX_CROP_PIXELS}x${MAX_CROP_PIXELS} pixels, received ${JSON.stringify(`crop=${value}`)}`);
      }
      return new RandomCrop({ height, width, seed });
    }
    default: {
      const never: never = name;
      throw specError(spec, `unknown augmentation ${JSON.stringify(never)}`);
    }
  }
}
