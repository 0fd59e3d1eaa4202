import { stat } from 'node:fs/promises';
import { channelsOf, decodeImage, type ColorMode } from './decode-image.js';
import { createImageCache, type CacheOption, type ImageCache } from './image-cache.js';
import { resizeImage, type Interpolation } from './resize-image.js';

export interface LoadSettings {
  imageSize: readonly [number, number];
  colorMode: ColorMode;
  interpolation: Interpolation;
  cropToAspectRatio: boolean;
  pixelLimit: number;
}

/** How often the decoder ran and how often the cache answered instead. */
export interface LoadStats {
  decodes: number;
  cacheHits: number;
}

/**
 * Turns a file into the dataset's fixed-size 8-bit pixels, through the cache when
 * there is one. Shared by the training and validation subsets of one call, so
 * a file is decoded once for both.
 */
export class ImageSource {
  readonly settings: LoadSettings;
  readonly stats: LoadStats = { decodes: 0, cacheHits: 0 };
  readonly #cache: ImageCache | null;
  readonly #diskCache: boolean;
  readonly #settingsKey: string;

  constructor(settings: LoadSettings, cache: CacheOption | null) {
    this.settings = settings;
    this.#cache = cache === null ? null : createImageCache(cache);
    this.#diskCache = cache !== null && cache !== 'memory';
    const s = settings;
    this.#settingsKey = `${s.imageSize[0]}x${s.imageSize[1]}|${s.colorMode}|${s.interpolation}|${s.cropToAspectRatio}`;
  }

  get bytesPerImage(): number {
    return this.settings.imageSize[0] * this.settings.imageSize[1] * channelsOf(this.settings.colorMode);
  }

  async load(file: string): Promise<Uint8Array> {
    let key = '';
    if (this.#cache !== null) {
      key = `${file}|${this.#settingsKey}`;
      if (this.#diskCache) {
        // A disk cache outlives the process: an edited file must not be served stale.
        const st = await stat(file);
        key += `|${st.size}|${st.mtimeMs}`;
      }
      const hit = await this.#cache.get(key, this.bytesPerImage);
      if (hit !== null) {
        this.stats.cacheHits++;
        return hit;
      }
    }
    this.stats.decodes++;
    const { imageSize, colorMode, interpolation, cropToAspectRatio, pixelLimit } = this.settings;
    const decoded = await decodeImage(file, { colorMode, pixelLimit });
    const resized = await resizeImage(decoded, imageSize, interpolation, cropToAspectRatio);
    if (this.#cache !== null) await this.#cache.set(key, resized.data);
    return resized.data;
  }
}
