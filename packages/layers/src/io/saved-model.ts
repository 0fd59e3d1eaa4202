import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { modelFromJson } from '../models/model-from-json.js';
import type { Model, ModelConfig } from '../models/model.js';
import { checkWeightsHeader, planArchitecture } from './architecture-plan.js';
import { loadLimits, type LoadLimits } from './load-limits.js';
import { oneLine } from './one-line.js';
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader, type StoredTensor } from './safetensors.js';
import { architectureClassNames, registerProvidedLayers } from './register-provided-layers.js';

/** The saved-model format this version writes (and the newest it reads). */
export const MODEL_FORMAT = 'cnnkit-model';
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** What model.json holds besides the architecture. */
export interface ModelMetadata {
  /** Class names in output order (index i ↔ probability i). */
  classNames?: readonly string[] | null;
  /** How inputs are prepared. Default: raw 0..255 RGB, rescaling inside the model. */
  preprocessing?: string;
  /** A training summary: epochs, final metrics, optimizer, seed... (free-form JSON). */
  training?: Record<string, unknown> | null;
}

/** The parsed model.json. */
export interface ModelJson extends Required<Omit<ModelMetadata, 'classNames'>> {
  /** Class names in output order (index i ↔ probability i), or null when the model was saved without. */
  classNames: string[] | null;
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
    classNames: metadata.classNames === null || metadata.classNames === undefined ? null : [...metadata.classNames],
    preprocessing: metadata.preprocessing ?? DEFAULT_PREPROCESSING,
    training: metadata.training ?? null,
    weights: { file: WEIGHTS_FILE, paths: model.namedWeights().map((w) => w.path) },
  };
}

/**
 * Rebuilds a model from the two files' contents (usable where there is no file
 * system, e.g. after `fetch` in a browser). Everything is checked before any weight
 * is allocated: model.json, each layer's config, the sizes the architecture implies
 * against `limits` (see `LoadLimits`), the weights header against the file and
 * against the architecture. Errors name the file, the layer or tensor, what was
 * expected and what came in.
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
  options: { limits?: Partial<LoadLimits> } = {},
): { model: Model; json: ModelJson; weightsMetadata: Record<string, string> } {
  const limits = loadLimits(options.limits);
  if (modelJsonText.length > limits.maxJsonBytes) {
    throw new CnnkitError('MODEL_TOO_LARGE', `${files.model}: ${modelJsonText.length} characters, over the limit of ${limits.maxJsonBytes} (maxJsonBytes)`);
  }
  if (weightsBytes.length > limits.maxWeightBytes + limits.maxHeaderBytes + 8) {
    throw new CnnkitError('MODEL_TOO_LARGE', `${files.weights}: ${weightsBytes.length} bytes, over the limit of ${limits.maxWeightBytes} bytes of weights (maxWeightBytes) and their header`);
  }
  return modelFromParsed(parseModelJson(modelJsonText, files.model), weightsBytes, files, limits);
}

/** `modelFromArtifacts` after model.json is parsed and checked (loadModel parses it first, to register its layer classes). */
function modelFromParsed(json: ModelJson, weightsBytes: Uint8Array, files: { model: string; weights: string }, limits: LoadLimits): { model: Model; json: ModelJson; weightsMetadata: Record<string, string> } {
  const model = modelFromJson(json.architecture, files.model, { limits, deferBuild: true });
  try {
    const plan = planArchitecture(model, files.model, limits);
    const header = readSafetensorsHeader(weightsBytes, files.weights, limits.maxHeaderBytes);
    checkWeightsHeader(plan, header, files);
    const paths = json.weights?.paths;
    if (plan.complete && Array.isArray(paths)) {
      const planned = plan.weights.map((w) => w.path);
      if (paths.length !== planned.length || paths.some((p, i) => p !== planned[i])) {
        throw new CnnkitError(
          'INVALID_MODEL_FILE',
          `${files.model}: "weights.paths" lists ${paths.length} weights that do not match the ${planned.length} its architecture implies (first difference: ${JSON.stringify(paths.find((p, i) => p !== planned[i]) ?? planned[paths.length])})`,
        );
      }
    }
    model.buildWeights();
    const { tensors, metadata } = decodeSafetensors(weightsBytes, files.weights, header);
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

/** A weights path in model.json: only the one file cnnkit writes, never a path. */
function checkWeightsEntry(weights: unknown, file: string): void {
  if (weights === undefined) return;
  const fail = (problem: string) => new CnnkitError('INVALID_MODEL_FILE', `${file}: ${problem}`);
  if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) throw fail(`expected "weights" to be { file, paths }, received ${JSON.stringify(weights)}`);
  const { file: name, paths } = weights as { file?: unknown; paths?: unknown };
  if (name !== undefined && name !== WEIGHTS_FILE) {
    if (typeof name === 'string' && /[/\\\0]|^\.\.?$/.test(name)) {
      throw new CnnkitError('PATH_OUTSIDE_FOLDER', `${file}: refused: "weights.file" ${JSON.stringify(name)} is a path; a model folder's weights are its own "${WEIGHTS_FILE}"`);
    }
    throw fail(`expected "weights.file" "${WEIGHTS_FILE}" (the weights file of a model folder), received ${JSON.stringify(name)}`);
  }
  if (paths !== undefined && (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string'))) {
    throw fail('expected "weights.paths" to be a list of weight paths such as "conv2d/kernel"');
  }
}

/** Parses and checks model.json; never evaluates anything in it. */
export function parseModelJson(text: string, file: string): ModelJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CnnkitError('INVALID_MODEL_FILE', `${file}: bad JSON: ${oneLine((error as Error).message)}`);
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
  checkWeightsEntry(v.weights, file);
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
 * Loads a model saved by `saveModel`. Layer classes from other cnnkit packages (the
 * augmentation layers of `@cnnkit/augment`) are registered on the way when that package
 * is installed. Rejects malformed, truncated, oversized or
 * mismatched files with a `CnnkitError` naming the file and the problem before
 * allocating any weight (see `modelFromArtifacts` and `LoadLimits`); reads only the
 * folder's own two regular files and never executes code from them.
 *
 * @example
 * ```ts
 * const { model, json } = await loadModel('run/model');
 * console.log(json.classNames);
 * ```
 */
export async function loadModel(
  dir: string,
  options: { limits?: Partial<LoadLimits> } = {},
): Promise<{ model: Model; json: ModelJson; weightsMetadata: Record<string, string> }> {
  const { join } = await import('node:path');
  const { readFolderFile } = await import('./read-folder-file.js');
  const limits = loadLimits(options.limits);
  const files = { model: join(dir, MODEL_FILE), weights: join(dir, WEIGHTS_FILE) };
  // Read within maxJsonBytes, so parsing here is the one parse the checks below use.
  const json = parseModelJson((await readFolderFile(dir, MODEL_FILE, limits.maxJsonBytes, 'maxJsonBytes')).toString('utf8'), files.model);
  await registerProvidedLayers(architectureClassNames(json.architecture), files.model);
  const bytes = await readFolderFile(dir, WEIGHTS_FILE, limits.maxWeightBytes + limits.maxHeaderBytes + 8, 'maxWeightBytes');
  // readFolderFile refused more than the limits allow, as modelFromArtifacts would.
  return modelFromParsed(json, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), files, limits);
}
