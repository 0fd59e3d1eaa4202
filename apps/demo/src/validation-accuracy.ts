import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MODEL_FILE } from '@cnnkit/layers';

/** The validation accuracy recorded with a model, and where it was found. */
export interface ValidationAccuracy {
  /** 0..1, or null when nothing recorded one. */
  accuracy: number | null;
  /** Where it came from, e.g. "model.json training.final.val_accuracy"; null with no accuracy. */
  source: string | null;
  /** How many held-out pictures it was measured on, where that was recorded. */
  images: number | null;
}

const UNKNOWN: ValidationAccuracy = { accuracy: null, source: null, images: null };

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // Missing or unreadable: the page then says the accuracy is unknown, not that the model is broken.
    return null;
  }
}

function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) at = at !== null && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

const isAccuracy = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/**
 * The validation accuracy recorded for the saved model in `modelDir`: model.json's
 * `training.final.val_accuracy` (what `cnnkit train` and the demo's fallback write),
 * else, for a run folder's `RUN/model`, the last `val_accuracy` in `RUN/history.json`;
 * otherwise unknown. Never the training accuracy: that says nothing about new pictures.
 *
 * @example
 * ```ts
 * const { accuracy } = await validationAccuracy('cnnkit-demo/run/model'); // 0.975
 * ```
 */
export async function validationAccuracy(modelDir: string): Promise<ValidationAccuracy> {
  const json = await readJson(join(modelDir, MODEL_FILE));
  const recorded = field(json, 'training', 'final', 'val_accuracy');
  if (isAccuracy(recorded)) {
    const images = field(json, 'training', 'heldOut', 'images');
    return { accuracy: recorded, source: `${MODEL_FILE} training.final.val_accuracy`, images: typeof images === 'number' && Number.isInteger(images) && images > 0 ? images : null };
  }
  if (basename(modelDir) !== 'model') return UNKNOWN;
  const history = field(await readJson(join(dirname(modelDir), 'history.json')), 'val_accuracy');
  const last = Array.isArray(history) ? history.at(-1) : undefined;
  return isAccuracy(last) ? { accuracy: last, source: 'history.json val_accuracy (last epoch)', images: null } : UNKNOWN;
}
