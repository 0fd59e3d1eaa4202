import { CnnkitError } from '@cnnkit/tensor-core';

/**
 * How much a loaded file may make cnnkit allocate. Saved models and checkpoints are
 * shared and downloaded, so every size in them is checked against these before
 * anything is allocated; a larger but genuine model needs a larger limit, asked for
 * explicitly (in the CLI: the environment variable `CNNKIT_MAX_MODEL_BYTES`).
 */
export interface LoadLimits {
  /** Bytes of float32 weights the architecture may imply, and size of a weights file. Default 1 GiB. */
  maxWeightBytes: number;
  /** Bytes of one example's output of any single layer (float32). Default 1 GiB. */
  maxActivationBytes: number;
  /** Size of model.json, training-state.json and an architecture file. Default 16 MiB. */
  maxJsonBytes: number;
  /** Length of a safetensors JSON header. Default 16 MiB (the format itself allows 100 MB). */
  maxHeaderBytes: number;
  /** Layers in one architecture. Default 10,000. */
  maxLayers: number;
}

export const DEFAULT_LOAD_LIMITS: Readonly<LoadLimits> = Object.freeze({
  maxWeightBytes: 1024 ** 3,
  maxActivationBytes: 1024 ** 3,
  maxJsonBytes: 16 * 1024 ** 2,
  maxHeaderBytes: 16 * 1024 ** 2,
  maxLayers: 10_000,
});

/**
 * The defaults with `overrides` applied; each given limit must be a positive integer.
 *
 * @example
 * ```ts
 * const limits = loadLimits({ maxWeightBytes: 4 * 1024 ** 3 });
 * ```
 */
export function loadLimits(overrides: Partial<LoadLimits> = {}): LoadLimits {
  const limits = { ...DEFAULT_LOAD_LIMITS };
  for (const key of Object.keys(DEFAULT_LOAD_LIMITS) as (keyof LoadLimits)[]) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new CnnkitError('INVALID_ARGUMENT', `loadLimits: expected "${key}" a positive integer (bytes or a count), received ${String(v)}; available: ${Object.keys(DEFAULT_LOAD_LIMITS).join(', ')}`);
    }
    limits[key] = v;
  }
  return limits;
}

/** "1.0 GiB", "27.0 GB"-style sizes for messages. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${bytes} bytes` : `${v.toFixed(1)} ${units[i]}`;
}
