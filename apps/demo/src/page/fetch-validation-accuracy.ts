import { CnnkitError } from '@cnnkit/tensor-core';
import type { ShownAccuracy } from './validation-accuracy-text.js';

const UNKNOWN: ShownAccuracy = { accuracy: null, images: null };

/**
 * The served model's recorded validation accuracy, from `url` (serveDemo's
 * /validation-accuracy.json). A server without that file (the page copied to a
 * plain static host) means "unknown", not an error; any other failure is one.
 *
 * @example
 * ```ts
 * const shown = await fetchValidationAccuracy(new URL('validation-accuracy.json', document.baseURI));
 * ```
 */
export async function fetchValidationAccuracy(url: URL): Promise<ShownAccuracy> {
  const response = await fetch(url, { cache: 'no-store' });
  if (response.status === 404) return UNKNOWN;
  if (!response.ok) {
    throw new CnnkitError('MODEL_FETCH', `demo: could not fetch ${url.pathname}: HTTP ${response.status} ${response.statusText}; expected the model's recorded validation accuracy as JSON`);
  }
  const body = (await response.json()) as { accuracy?: unknown; images?: unknown } | null;
  const accuracy = body?.accuracy;
  const images = body?.images;
  if (accuracy === null || accuracy === undefined) return UNKNOWN;
  if (typeof accuracy !== 'number' || !(accuracy >= 0 && accuracy <= 1)) {
    throw new CnnkitError('MODEL_FETCH', `demo: ${url.pathname}: expected "accuracy" a number in 0..1 or null, received ${JSON.stringify(accuracy)}`);
  }
  return { accuracy, images: typeof images === 'number' && Number.isInteger(images) && images > 0 ? images : null };
}
