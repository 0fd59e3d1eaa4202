import { CnnkitError } from '@cnnkit/tensor-core';
import { MODEL_FILE, WEIGHTS_FILE } from '@cnnkit/layers';

/** The two files of a saved model, as fetched: rebuilt into a model once per backend. */
export interface ModelArtifacts {
  modelJsonText: string;
  weights: Uint8Array;
}

async function get(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new CnnkitError('MODEL_FETCH', `demo: could not fetch ${url.pathname}: HTTP ${response.status} ${response.statusText}; expected the server to serve a saved model folder (model.json + weights.safetensors)`);
  }
  return response;
}

/**
 * Fetches model.json and weights.safetensors from the folder URL `base` (ending in "/").
 *
 * @example
 * ```ts
 * const artifacts = await fetchModelArtifacts(new URL('model/', document.baseURI));
 * ```
 */
export async function fetchModelArtifacts(base: URL): Promise<ModelArtifacts> {
  const [json, weights] = await Promise.all([get(new URL(MODEL_FILE, base)), get(new URL(WEIGHTS_FILE, base))]);
  return { modelJsonText: await json.text(), weights: new Uint8Array(await weights.arrayBuffer()) };
}
