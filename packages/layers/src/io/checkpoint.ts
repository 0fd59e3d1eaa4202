import { CnnkitError, tf } from '@cnnkit/tensor-core';
import type { Model } from '../models/model.js';
import type { EpochProgress } from '../training/epoch-progress.js';
import { loadLimits, type LoadLimits } from './load-limits.js';
import { oneLine } from './one-line.js';
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader, type StoredTensor } from './safetensors.js';
import { encodeWeights, loadModel, MODEL_FILE, modelJson, WEIGHTS_FILE, type ModelMetadata } from './saved-model.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, checkTrainingState, type TrainingState } from './training-state.js';

export type { TrainingState } from './training-state.js';

export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const STATE_FILE = 'training-state.json';


/**
 * Writes a checkpoint directory: a loadable model (model.json + weights.safetensors),
 * the optimizer slots (optimizer.safetensors), and training-state.json (epoch,
 * compile settings, optimizer step and learning rate, RNG streams, history) — last,
 * so a directory with a state file is complete. The files are written into a
 * hidden sibling folder that is then renamed to `dir`, so a kill or a full disk at
 * any moment leaves either the complete checkpoint under `dir` or none (and each
 * safetensors file records the epoch, so mixed files are detected). `progress`
 * marks a checkpoint written inside an epoch (see `FitOptions.backup`).
 *
 * @example
 * ```ts
 * await saveCheckpoint(model, 'run/checkpoints/epoch-3', { epoch: 3 });
 * ```
 */
export async function saveCheckpoint(
  model: Model,
  dir: string,
  options: { epoch: number; history?: Record<string, number[]>; metadata?: ModelMetadata; progress?: EpochProgress },
): Promise<void> {
  const c = model.compiled;
  if (c === null) throw new CnnkitError('NOT_COMPILED', `saveCheckpoint: model "${model.name}" must be compiled (a checkpoint stores the optimizer)`);
  const { writeFileAtomic } = await import('./atomic-write.js');
  const [{ basename, dirname, join }, { rename, rm }, { randomBytes }] = await Promise.all([import('node:path'), import('node:fs/promises'), import('node:crypto')]);
  const progress = options.progress;
  if (progress !== undefined && progress.epoch !== options.epoch) {
    throw new CnnkitError('INVALID_ARGUMENT', `saveCheckpoint: progress is for epoch ${progress.epoch}, expected the epoch option ${options.epoch} (the epochs completed before it)`);
  }
  const epochTag = { epoch: String(options.epoch), ...(progress === undefined ? {} : { step: String(progress.step) }) };
  const state = c.optimizer.getState();
  const slots = new Map<string, StoredTensor>();
  for (const [key, t] of state.slots) {
    slots.set(key, { shape: [...t.shape], data: (await t.data()) as Float32Array });
    t.dispose();
  }
  const trainingState: TrainingState = {
    format: CHECKPOINT_FORMAT,
    // Version 1 where it suffices, so cnnkit versions that predate `progress` still read it.
    formatVersion: progress === undefined ? 1 : CHECKPOINT_FORMAT_VERSION,
    epoch: options.epoch,
    compile: { optimizer: { className: c.optimizer.className, config: c.optimizer.getConfig() }, loss: c.loss, metrics: c.metricNames },
    optimizerState: { iterations: state.iterations, learningRate: state.learningRate },
    rng: model.getRngStates(),
    history: options.history ?? {},
    ...(progress === undefined ? {} : { progress }),
  };
  const staging = join(dirname(dir), `.${basename(dir)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFileAtomic(join(staging, WEIGHTS_FILE), await encodeWeights(model, epochTag));
    await writeFileAtomic(join(staging, OPTIMIZER_FILE), encodeSafetensors(slots, { format: 'cnnkit', ...epochTag }));
    const metadata = { ...options.metadata, training: { ...options.metadata?.training, epoch: options.epoch } };
    await writeFileAtomic(join(staging, MODEL_FILE), `${JSON.stringify(modelJson(model, metadata), null, 2)}\n`);
    await writeFileAtomic(join(staging, STATE_FILE), `${JSON.stringify(trainingState, null, 2)}\n`);
    // A folder cannot be renamed over a non-empty one: the old one steps aside first.
    const old = `${staging}.old`;
    const replaced = await rename(dir, old).then(() => true, (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)));
    await rename(staging, dir);
    if (replaced) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Loads a checkpoint written by `saveCheckpoint`: the model, compiled with the
 * same loss, metrics and optimizer, with the optimizer's slots, step count and
 * learning rate and the dropout streams restored. `model.fit(data, { initialEpoch:
 * epoch, epochs })` then continues exactly as the uninterrupted run would. Every
 * file is checked (see `loadModel`, `checkTrainingState`) before anything is allocated.
 *
 * @example
 * ```ts
 * const { model, epoch } = await loadCheckpoint('run/checkpoints/epoch-3');
 * await model.fit(data, { initialEpoch: epoch, epochs: 10 });
 * ```
 */
export async function loadCheckpoint(
  dir: string,
  options: { limits?: Partial<LoadLimits> } = {},
): Promise<{ model: Model; epoch: number; history: Record<string, number[]>; state: TrainingState; progress: EpochProgress | null }> {
  const { join } = await import('node:path');
  const { readFolderFile } = await import('./read-folder-file.js');
  const limits = loadLimits(options.limits);
  const stateFile = join(dir, STATE_FILE);
  const optimizerFile = join(dir, OPTIMIZER_FILE);
  const fail = (file: string, problem: string) => new CnnkitError('INVALID_CHECKPOINT', `${file}: ${problem}`);
  let text: string;
  try {
    text = (await readFolderFile(dir, STATE_FILE, limits.maxJsonBytes, 'maxJsonBytes', 'INVALID_CHECKPOINT')).toString('utf8');
  } catch (error) {
    const cause = error instanceof CnnkitError ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
    if (cause !== undefined) throw fail(stateFile, `cannot read (${cause.code ?? 'error'}): not a complete checkpoint`);
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail(stateFile, `bad JSON: ${oneLine((error as Error).message)}`);
  }
  const state = checkTrainingState(parsed, stateFile);
  const stepTag = state.progress === undefined ? undefined : String(state.progress.step);
  const { model, weightsMetadata } = await loadModel(dir, { limits });
  try {
    if (weightsMetadata.epoch !== String(state.epoch) || weightsMetadata.step !== stepTag) {
      throw fail(join(dir, WEIGHTS_FILE), `holds epoch ${weightsMetadata.epoch ?? '(none)'} but ${STATE_FILE} says ${state.epoch}: mixed checkpoint files`);
    }
    try {
      model.compile({ optimizer: state.compile.optimizer, loss: state.compile.loss, metrics: state.compile.metrics });
    } catch (error) {
      if (error instanceof CnnkitError) throw fail(stateFile, `bad "compile": ${error.message}`);
      throw error;
    }
    const bytes = await readFolderFile(dir, OPTIMIZER_FILE, limits.maxWeightBytes * 2 + limits.maxHeaderBytes + 8, 'maxWeightBytes', 'INVALID_CHECKPOINT');
    const optimizerBytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = readSafetensorsHeader(optimizerBytes, optimizerFile, limits.maxHeaderBytes);
    if (header.metadata.epoch !== String(state.epoch) || header.metadata.step !== stepTag) throw fail(optimizerFile, `holds epoch ${header.metadata.epoch ?? '(none)'} but ${STATE_FILE} says ${state.epoch}: mixed checkpoint files`);
    // Every slot has a trainable weight's shape, so the slots are bounded by the weights: checked before decoding.
    const shapes = new Map(model.trainableWeights.map((w) => [w.path, w.variable.shape]));
    for (const [key, entry] of header.entries) {
      const shape = shapes.get(key.slice(0, key.lastIndexOf('/')));
      if (shape === undefined || shape.length !== entry.shape.length || shape.some((d, i) => d !== entry.shape[i])) {
        throw fail(optimizerFile, `slot "${key}" [${entry.shape}] matches no trainable weight of that shape`);
      }
    }
    const { tensors } = decodeSafetensors(optimizerBytes, optimizerFile, header);
    const slots = new Map<string, tf.Tensor>();
    try {
      for (const [key, t] of tensors) slots.set(key, tf.tensor(t.data, t.shape, 'float32'));
      const { iterations, learningRate } = state.optimizerState;
      model.compiled!.optimizer.setState({ iterations, learningRate, slots });
    } finally {
      for (const t of slots.values()) t.dispose();
    }
    try {
      model.setRngStates(state.rng);
    } catch (error) {
      throw fail(stateFile, `bad "rng" state: ${(error as Error).message}`);
    }
    return { model, epoch: state.epoch, history: state.history, state, progress: state.progress ?? null };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
