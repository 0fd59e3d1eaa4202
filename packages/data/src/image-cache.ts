import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `'memory'` keeps decoded images in RAM; `{ dir }` writes them as raw files there. */
export type CacheOption = 'memory' | { dir: string };

/** Decoded, resized 8-bit images keyed by source file and load settings. */
export interface ImageCache {
  get(key: string, expectedBytes: number): Promise<Uint8Array | null>;
  set(key: string, data: Uint8Array): Promise<void>;
}

class MemoryCache implements ImageCache {
  readonly #map = new Map<string, Uint8Array>();
  async get(key: string, expectedBytes: number): Promise<Uint8Array | null> {
    const hit = this.#map.get(key);
    return hit !== undefined && hit.length === expectedBytes ? hit : null;
  }
  async set(key: string, data: Uint8Array): Promise<void> {
    this.#map.set(key, data);
  }
}

class DiskCache implements ImageCache {
  readonly #dir: string;
  #ready: Promise<unknown> | null = null;
  constructor(dir: string) {
    this.#dir = dir;
  }
  #path(key: string): string {
    return join(this.#dir, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.u8`);
  }
  async get(key: string, expectedBytes: number): Promise<Uint8Array | null> {
    const data = await readFile(this.#path(key)).catch(() => null);
    // A file of the wrong size is a leftover from an interrupted write or other settings: decode again.
    return data !== null && data.length === expectedBytes ? new Uint8Array(data.buffer, data.byteOffset, data.length) : null;
  }
  async set(key: string, data: Uint8Array): Promise<void> {
    this.#ready ??= mkdir(this.#dir, { recursive: true });
    await this.#ready;
    const path = this.#path(key);
    // Write then rename, so a reader never sees half a file.
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  }
}

export function createImageCache(option: CacheOption): ImageCache {
  return option === 'memory' ? new MemoryCache() : new DiskCache(option.dir);
}
