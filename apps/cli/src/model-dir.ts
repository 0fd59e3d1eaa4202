import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { registerAugmentLayers } from '@cnnkit/augment';
import { DEFAULT_LOAD_LIMITS, loadModel, MODEL_FILE, type LoadLimits, type Model, type ModelJson } from '@cnnkit/layers';
import { CnnkitError, selectBackend, type BackendName } from '@cnnkit/tensor-core';
import { cliRegistry } from './backend-registry.js';
import { UserError } from './user-error.js';

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/**
 * The saved-model folder a command was pointed at: `RUN/model` itself, or a run
 * folder `RUN` (whose model is in `RUN/model`), so both spellings work.
 */
export async function resolveModelDir(operation: string, path: string): Promise<string> {
  if (await isFile(join(path, MODEL_FILE))) return path;
  if (await isFile(join(path, 'model', MODEL_FILE))) return join(path, 'model');
  const exists = await stat(path).then((s) => s.isDirectory(), () => false);
  if (await isFile(path)) {
    throw new UserError(
      path.toLowerCase().endsWith('.onnx')
        ? `${operation}: "${path}" is an ONNX file; add --backend onnx to run it (the other backends read a saved model folder such as RUN/model)`
        : `${operation}: "${path}" is a file; expected a saved model folder such as RUN/model written by "cnnkit train"`,
    );
  }
  throw new UserError(
    exists
      ? `${operation}: "${path}" holds no ${MODEL_FILE} (nor model/${MODEL_FILE}); expected a saved model folder such as RUN/model written by "cnnkit train"`
      : `${operation}: model folder "${path}" does not exist; expected a saved model folder such as RUN/model written by "cnnkit train"`,
  );
}

let softwareNoticeShown = false;

/**
 * Selects a compute backend for `task` (`auto`: the best available one) and returns its
 * name. A GPU backend asked for by name on a software adapter (SwiftShader) works, with
 * one line on stderr saying it will be slow (auto never picks one).
 */
export async function useBackend(
  name: BackendName | 'auto',
  task: 'train' | 'infer',
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<BackendName> {
  // A layers model runs on a tfjs backend; `auto` for inference could pick onnx, which
  // runs exported files only, so `auto` asks for a backend that can train (cpu, wasm, webgpu, cuda).
  const { plugin, adapter } = await selectBackend({ name, task: name === 'auto' ? 'train' : task, registry: cliRegistry() });
  // Once per process: `cnnkit demo` selects the backend for each of its steps.
  if (adapter?.software === true && !softwareNoticeShown) {
    softwareNoticeShown = true;
    log(`cnnkit: ${plugin.name} runs on a software adapter (${adapter.description}), a CPU emulation of a GPU: expect it to be much slower than --backend wasm; install a GPU driver for speed`);
  }
  return plugin.name;
}

/** The environment variable that raises (or lowers) how many bytes of weights a loaded model may hold. */
export const MAX_MODEL_BYTES_ENV = 'CNNKIT_MAX_MODEL_BYTES';

/**
 * The limits a command loads models under: the library's defaults, with the weights
 * cap (and the per-image activation cap with it) from CNNKIT_MAX_MODEL_BYTES if set.
 */
export function modelLoadLimits(operation: string, env: NodeJS.ProcessEnv = process.env): Partial<LoadLimits> {
  const text = env[MAX_MODEL_BYTES_ENV];
  if (text === undefined || text.trim() === '') return {};
  const bytes = Number(text);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new UserError(`${operation}: ${MAX_MODEL_BYTES_ENV} expects a positive number of bytes such as ${DEFAULT_LOAD_LIMITS.maxWeightBytes}, received "${text}"`);
  }
  return { maxWeightBytes: bytes, maxActivationBytes: bytes };
}

/** What to do about a model that failed to load, by what went wrong. */
function remedy(code: string): string {
  switch (code) {
    case 'MODEL_TOO_LARGE':
      return `refused before allocating it; if the model is genuine and fits in memory, set ${MAX_MODEL_BYTES_ENV} to a larger number of bytes`;
    case 'PATH_OUTSIDE_FOLDER':
      return 'refused: a model folder is read only from its own files; copy the real files into it';
    case 'MODEL_FILE_UNREADABLE':
      return 'check the file exists and is readable';
    case 'UNKNOWN_LAYER':
    case 'LAYER_PACKAGE_MISSING':
      return 'the folder is fine, this cnnkit cannot build one of its layers: load it in the program that registers that layer class, or use a cnnkit that has it';
    default:
      return 'the folder is damaged or was not written by cnnkit: train again, or point at a checkpoint of the run (RUN/checkpoints/epoch-NNN holds a loadable model)';
  }
}

/**
 * Loads a saved model (RUN or RUN/model). Malformed, truncated, mismatched or
 * oversized files fail before anything is allocated, in one line naming the file.
 */
export async function openModel(operation: string, path: string): Promise<{ model: Model; json: ModelJson; dir: string; classNames: string[] }> {
  const dir = await resolveModelDir(operation, path);
  const limits = modelLoadLimits(operation);
  let loaded: Awaited<ReturnType<typeof loadModel>>;
  // A model saved from the API may hold augmentation layers (identity at inference);
  // the CLI ships @cnnkit/augment, so it registers them itself.
  registerAugmentLayers();
  try {
    loaded = await loadModel(dir, { limits });
  } catch (error) {
    if (!(error instanceof CnnkitError)) throw error;
    throw new UserError(`${operation}: cannot load the model in "${dir}": ${error.message}; ${remedy(error.code)}`);
  }
  const { model, json } = loaded;
  const units = model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 1;
  const classNames = json.classNames ?? Array.from({ length: Math.max(2, units) }, (_, i) => `class_${i}`);
  return { model, json, dir, classNames };
}

/** `[height, width]` of the model's image input. */
export function inputSize(operation: string, model: Model): [number, number] {
  const shape = model.inputs[0].shape;
  const [, h, w, c] = shape;
  if (shape.length !== 4 || typeof h !== 'number' || typeof w !== 'number' || c !== 3) {
    throw new UserError(`${operation}: expected a model taking RGB images [batch, height, width, 3], this one takes [${shape.map((d) => d ?? 'None').join(', ')}]`);
  }
  return [h, w];
}
