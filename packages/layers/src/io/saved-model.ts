import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { modelFromJson } from '../model-from-json.js';
import type { Model, ModelConfig } from '../model.js';
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from './safetensors.js';

/** The saved-model format this version writes (and the newest it reads). */
export const MODEL_FORMAT = 'cnnkit-model';
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** What model.json holds besides the architecture. */
export interface ModelMetadata {
  /** Class names in output order (index i ↔ probability i). */
  classNames?: string[] | null;
  /** How inputs are prepared. Default: raw 0..255 RGB, rescaling inside the model. */
  preprocessing?: string;
  /** A training summary: epochs, final metrics, optimizer, seed... (free-form JSON). */
  training?: Record<string, unknown> | null;
}

/** The parsed model.json. */
export interface ModelJson extends Required<ModelMetadata> {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  architecture: ModelConfig;
  /** Shape of one example of each input, without the batch dimension. */
  inputShapes: (number | null)[][];
  /** Weight paths in the weights file, in model order. */
  weights: { file: string; paths: string[] };
}

export const DEFAULT_PREPROCESSING = 'raw RGB pixels 0..255, NHWC float32; rescaling is a layer inside the model';

/** The model's weights as safetensors bytes, keyed by layer path. */
export async function encodeWeights(model: Model, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  const tensors = new Map<string, StoredTensor>();
  // Asynchronous reads: a GPU backend has no synchronous read-back in Node.
  for (const w of model.namedWeights()) tensors.set(w.path, { shape: [...w.variable.shape], data: (await w.variable.data()) as Float32Array });
  return encodeSafetensors(tensors, { format: 'cnnkit', ...metadata });
}

/** The model.json document for a model. */
export function modelJson(model: Model, metadata: ModelMetadata = {}): ModelJson {
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    architecture: model.getConfig(),
    inputShapes: model.inputShapes.map((s) => [...s.slice(1)]),
    classNames: metadata.classNames ?? null,
    preprocessing: metadata.preprocessing ?? DEFAULT_PREPROCESSING,
    training: metadata.training ?? null,
    weights: { file: WEIGHTS_FILE, paths: model.namedWeights().map((w) => w.path) },
  };
}

/**
 * Rebuilds a model from the two files' contents (usable where there is no file
 * system, e.g. after `fetch` in a browser). Errors name the file and the problem.
 *
 * @example
 * ```ts
 * const { model } = modelFromArtifacts(await (await fetch('model.json')).text(), new Uint8Array(await (await fetch('weights.safetensors')).arrayBuffer()));
 * ```
 */
export function modelFromArtifacts(
  modelJsonText: string,
  weightsBytes: Uint8Array,
  files: { model: string; weights: string } = { model: MODEL_FILE, weights: WEIGHTS_FILE },
): { model: Model; json: ModelJson; weightsMetadata: Record<string, string> } {
  const json = parseModelJson(modelJsonText, files.model);
  const model = modelFromJson(json.architecture, files.model);
  try {
    const { tensors, metadata } = decodeSafetensors(weightsBytes, files.weights);
    const values = new Map<string, tf.Tensor>();
    try {
      for (const [path, t] of tensors) values.set(path, tf.tensor(t.data, t.shape, 'float32'));
      model.setWeights(values, files.weights);
    } finally {
      for (const t of values.values()) t.dispose();
    }
    return { model, json, weightsMetadata: metadata };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Parses and checks model.json; never evaluates anything in it. */
export function parseModelJson(text: string, file: string): ModelJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CnnkitError('INVALID_MODEL_FILE', `${file}: bad JSON: ${(error as Error).message}`);
  }
  const v = value as Partial<ModelJson> | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CnnkitError('INVALID_MODEL_FILE', `${file}: expected a JSON object`);
  if (v.format !== MODEL_FORMAT) {
    throw new CnnkitError('INVALID_MODEL_FILE', `${file}: expected "format": "${MODEL_FORMAT}", received ${JSON.stringify(v.format)}`);
  }
  if (typeof v.formatVersion !== 'number' || !Number.isInteger(v.formatVersion) || v.formatVersion < 1 || v.formatVersion > MODEL_FORMAT_VERSION) {
    throw new CnnkitError(
      'INVALID_MODEL_FILE',
      `${file}: unsupported formatVersion ${JSON.stringify(v.formatVersion)}; this cnnkit reads versions 1..${MODEL_FORMAT_VERSION}`,
    );
  }
  if (v.architecture === undefined) throw new CnnkitError('INVALID_MODEL_FILE', `${file}: missing "architecture"`);
  if (v.classNames !== null && v.classNames !== undefined && (!Array.isArray(v.classNames) || v.classNames.some((c) => typeof c !== 'string'))) {
    throw new CnnkitError('INVALID_MODEL_FILE', `${file}: expected "classNames" to be a list of strings or null`);
  }
  return {
    ...(v as ModelJson),
    classNames: v.classNames ?? null,
    preprocessing: typeof v.preprocessing === 'string' ? v.preprocessing : DEFAULT_PREPROCESSING,
    training: v.training ?? null,
  };
}

/**
 * Saves a model as a directory: `model.json` (format version, architecture, input
 * shapes, class names, preprocessing, training summary) and `weights.safetensors`
 * (every weight by layer path, float32 little-endian). Each file is written
 * atomically; the weights first, so a model.json never names weights not yet written.
 *
 * @example
 * ```ts
 * await saveModel(model, 'run/model', { classNames: ['cat', 'dog'] });
 * ```
 */
export async function saveModel(model: Model, dir: string, metadata: ModelMetadata = {}): Promise<void> {
  const { writeFileAtomic } = await import('./atomic-write.js');
  const { join } = await import('node:path');
  await writeFileAtomic(join(dir, WEIGHTS_FILE), await encodeWeights(model));
  await writeFileAtomic(join(dir, MODEL_FILE), `${JSON.stringify(modelJson(model, metadata), null, 2)}\n`);
}

/**
 * Loads a model saved by `saveModel`. Rejects malformed or truncated files with a
 * `CnnkitError` naming the file and the problem; never executes code from them.
 *
 * @example
 * ```ts
 * const { model, json } = await loadModel('run/model');
 * console.log(json.classNames);
 * ```
 */
export async function loadModel(dir: string): Promise<{ model: Model; json: ModelJson; weightsMetadata: Record<string, string> }> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const modelFile = join(dir, MODEL_FILE);
  const weightsFile = join(dir, WEIGHTS_FILE);
  const read = async (file: string, encoding?: 'utf8') => {
    try {
      return await readFile(file, encoding);
    } catch (error) {
      throw new CnnkitError('MODEL_FILE_UNREADABLE', `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
    }
  };
  const text = (await read(modelFile, 'utf8')) as string;
  const bytes = (await read(weightsFile)) as Buffer;
  return modelFromArtifacts(text, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { model: modelFile, weights: weightsFile });
}
