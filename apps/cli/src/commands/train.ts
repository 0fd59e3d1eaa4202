import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { augmentation, parseAugmentSpec, type Augmentation } from '@cnnkit/augment';
import { imageDatasetFromDirectory, type ImageDataset, type CacheOption } from '@cnnkit/data';
import {
  chooseTrainingEngine,
  type ChosenTrainingEngine,
  type EpochProgress,
  modelFromJson,
  saveCheckpoint,
  saveModel,
  seedCnn,
  type Callback,
  type Logs,
  type Model,
  type OptimizerName,
} from '@cnnkit/layers';
import { CnnkitError, createRng, tf, type BackendName } from '@cnnkit/tensor-core';
import { writeFileAtomic } from '../atomic.js';
import { cliRegistry } from '../backend-registry.js';
import { writeCurves } from '../curves.js';
import { checkDataFolder } from '../data-folder.js';
import { checkpointBytes, checkRoomForRun, KEPT_CHECKPOINTS } from '../disk-space.js';
import { Interrupted } from '../interrupted.js';
import { useBackend } from '../model-dir.js';
import type { FitBackend } from '../options.js';
import { describeCheckpoint, latestCheckpoint, listCheckpoints, pruneCheckpoints, removeLeftovers, runPaths } from '../run-dir.js';
import { lockRun } from '../run-lock.js';
import type { SaveEvery } from '../save-every.js';
import { catchStopSignals, signalExitCode } from '../stop-signals.js';
import { parseTrainConfig } from '../train-config.js';
import { readArchitectureFile } from '../architecture-file.js';
import { UserError } from '../user-error.js';
import { writableDir } from '../writable.js';
import { guardWrite } from '../write-failure.js';

/** The `--optimizer` names and the optimizer classes they create (Keras 3 defaults besides the learning rate). */
export const OPTIMIZERS = { rmsprop: 'RMSprop', adam: 'Adam', adamw: 'AdamW', sgd: 'SGD' } as const satisfies Record<string, OptimizerName>;
export type OptimizerFlag = keyof typeof OPTIMIZERS;

/** Everything that defines a run; saved as RUN/train-config.json so `--resume` continues the same run. */
export interface TrainConfig {
  imageSize: [number, number];
  batchSize: number;
  epochs: number;
  validationSplit: number;
  seed: number;
  /** `--augment` spec, `none` for no augmentation. */
  augment: string;
  /** `seed-cnn` or a model.json architecture file. */
  model: string;
  optimizer: OptimizerFlag;
  lr: number;
}

export interface TrainOptions extends TrainConfig {
  out: string;
  backend: FitBackend;
  /**
   * Worker threads for data-parallel training on wasm or cpu (one backend instance per
   * worker): default the cores (at most 8); 1 trains on this thread alone. Not part of
   * the run's config: a resumed run may use another count (dropout masks then differ).
   */
  workers?: number;
  resume: boolean;
  /** Which settings the user gave explicitly (with `--resume`, these must match the run's, except `epochs`). */
  explicit: ReadonlySet<keyof TrainConfig>;
  /** Progress bars and log lines (stderr). */
  progress: NodeJS.WritableStream;
  log: (line: string) => void;
  /** Checkpoints inside epochs (`--save-every`); default: only at each epoch's end. */
  saveEvery?: SaveEvery;
  /** Ctrl-C and SIGTERM stop after the step in progress with a checkpoint (the `train` command; not a library caller). */
  catchSignals?: boolean;
}

export interface TrainResult {
  run: string;
  backend: BackendName;
  /** Backend instances that trained: worker threads (data-parallel), or 1. */
  workers: number;
  classNames: string[];
  epochs: number;
  resumedFrom: number;
  history: Record<string, number[]>;
  trainCount: number;
  validationCount: number;
  /** The held-out pictures, with their class. */
  validationFiles: { file: string; className: string }[];
  files: { model: string; checkpoints: string; history: string; curves: string };
  /** The validation split, to evaluate on the same pictures. */
  config: TrainConfig;
}

/** Decoded images are kept in memory when they fit in this much (later epochs then skip decoding). */
const MEMORY_CACHE_BYTES = 512 * 1024 * 1024;

async function readConfig(file: string): Promise<TrainConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`train --resume: "${file}" does not exist, so there is no run to resume there; start it without --resume`);
  }
  return parseTrainConfig(text, file);
}

/** The model the run trains: the tutorial CNN, or an architecture from a model.json file. */
async function buildModel(config: TrainConfig, numClasses: number): Promise<Model> {
  if (config.model === 'seed-cnn') return seedCnn({ imageSize: config.imageSize, numClasses, seed: config.seed });
  let text: string;
  try {
    text = await readArchitectureFile(config.model);
  } catch (error) {
    throw new UserError(`train: cannot read --model "${config.model}" (${(error as NodeJS.ErrnoException).code ?? String(error)}); expected seed-cnn or a model.json architecture file`);
  }
  return modelFromJson(text, config.model);
}

/** Labels and loss from the model's output width: one sigmoid unit is binary, n units are n classes. */
function lossFor(model: Model, classNames: string[]): { labelMode: 'binary' | 'int'; loss: 'binary_crossentropy' | 'sparse_categorical_crossentropy' } {
  const out = model.outputs[0].shape;
  const units = out[out.length - 1];
  if (units === 1 && classNames.length === 2) return { labelMode: 'binary', loss: 'binary_crossentropy' };
  if (units === classNames.length) return { labelMode: 'int', loss: 'sparse_categorical_crossentropy' };
  throw new UserError(
    `train: the model's output has ${units} unit(s) but the data has ${classNames.length} classes (${classNames.join(', ')}); expected 1 unit for 2 classes or one unit per class`,
  );
}

/**
 * Training diverged during epoch `epoch` (1-based): one line that says what became
 * NaN, with which settings, which checkpoints are left, and what to do.
 */
function divergedError(what: string, epoch: number, config: TrainConfig, run: string): UserError {
  const kept =
    epoch > 1
      ? `the run's checkpoints end at epoch ${epoch - 1} (in "${runPaths(run).checkpoints}"), nothing of epoch ${epoch} was saved`
      : 'no epoch finished, so there is no checkpoint';
  return new UserError(
    `train: training diverged in epoch ${epoch}: ${what}, expected finite numbers (--optimizer ${config.optimizer}, --lr ${config.lr}); ${kept}; lower --lr and start a new run with another --out`,
  );
}


/**
 * Writes a checkpoint after every epoch (a folder renamed into place whole), then
 * history.json and curves.png, keeping the history of the epochs before a resume;
 * `backup` writes one inside an epoch. An epoch whose losses or weights are not
 * finite stops training before anything of it is written, so every checkpoint left
 * is a usable one. A write the user can fix (a full disk) fails in one line that
 * names the newest checkpoint left.
 */
class RunCheckpoint implements Callback {
  #model: Model | null = null;
  constructor(
    private readonly run: string,
    private readonly history: Record<string, number[]>,
    private readonly metadata: { classNames: string[]; training: Record<string, unknown> },
    private readonly config: TrainConfig,
    private readonly next: string,
  ) {}

  setModel(model: Model): void {
    this.#model = model;
  }

  #context(what: string, path: string, bytes?: number) {
    return { operation: 'train', what, path, bytes, intact: () => intactCheckpoint(this.run), next: this.next };
  }

  async #checkpoint(dir: string, options: { epoch: number; progress?: EpochProgress }): Promise<void> {
    const model = this.#model!;
    await guardWrite(this.#context('checkpoint', dir, checkpointBytes(model, OPTIMIZERS[this.config.optimizer])), () =>
      saveCheckpoint(model, dir, { ...options, history: this.history, metadata: this.metadata }),
    );
    await pruneCheckpoints(this.run, KEPT_CHECKPOINTS);
  }

  /** A checkpoint inside epoch `progress.epoch` (fit's backup). */
  async backup(progress: EpochProgress): Promise<void> {
    await this.#checkpoint(runPaths(this.run).stepCheckpoint(progress.epoch + 1, progress.step), { epoch: progress.epoch, progress });
  }

  async writeHistory(): Promise<void> {
    const paths = runPaths(this.run);
    await guardWrite(this.#context('the training history', paths.history), () => writeFileAtomic(paths.history, `${JSON.stringify(this.history, null, 2)}\n`));
    await guardWrite(this.#context('the training curves', paths.curves), () => writeCurves(paths.curves, this.history));
  }

  async writeModel(model: Model, metadata: Parameters<typeof saveModel>[2]): Promise<void> {
    const dir = runPaths(this.run).model;
    const bytes = model.namedWeights().reduce((n, w) => n + w.variable.size * 4, 0);
    await guardWrite(this.#context('the trained model', dir, bytes), () => saveModel(model, dir, metadata));
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const key of ['loss', 'val_loss']) {
      const v = logs[key];
      if (v !== undefined && !Number.isFinite(v)) throw divergedError(`the ${key === 'loss' ? 'training' : 'validation'} loss at the end of the epoch was ${v}`, epoch + 1, this.config, this.run);
    }
    // Non-finite weights never get here: fit checks them before validation (see the catch around fit).
    for (const [k, v] of Object.entries(logs)) {
      const values = (this.history[k] ??= []);
      values.length = epoch; // a resumed epoch replaces, never duplicates, what came before it
      values.push(v);
    }
    await this.#checkpoint(runPaths(this.run).checkpoint(epoch + 1), { epoch: epoch + 1 });
    await this.writeHistory();
  }
}

/** What a failed write leaves to resume from: the newest checkpoint under its final name (each is complete). */
async function intactCheckpoint(run: string): Promise<string> {
  const [newest] = await listCheckpoints(run);
  return newest === undefined
    ? 'no checkpoint of this run was written yet'
    : `the last complete checkpoint, "${newest.dir}" (${describeCheckpoint(newest)}), is intact`;
}

/** A path as typed in a shell: quoted when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A labelled dataset as the `{ images, labels }` batches `fit` takes (each iteration is
 * a fresh pass, always in the order of epoch 0: the validation loss sums its batches in
 * one order, so a resumed run's validation matches the uninterrupted run's to the bit).
 */
function labelled(ds: ImageDataset): AsyncIterable<{ images: tf.Tensor; labels: tf.Tensor }> {
  return {
    async *[Symbol.asyncIterator]() {
      ds.seekEpoch(0);
      for await (const { images, labels } of ds) yield { images, labels: labels! };
    },
  };
}

/**
 * The training batches of epoch `epoch` from batch `startStep` on, augmented with
 * streams forked from (seed, epoch, step), so a run resumed at any step sees the
 * pictures the uninterrupted run saw.
 */
function trainingBatches(ds: ImageDataset, aug: Augmentation | null, seed: number) {
  return (epoch: number, startStep: number): AsyncIterable<{ images: tf.Tensor; labels: tf.Tensor }> => {
    ds.seekEpoch(epoch, startStep);
    return {
      async *[Symbol.asyncIterator]() {
        let step = startStep;
        for await (const { images, labels } of ds) {
          if (aug === null) {
            yield { images, labels: labels! };
            continue;
          }
          const rng = createRng(seed).fork(`augment/${epoch}/${step++}`);
          const out = aug.call(images, { training: true, rng });
          if (out !== images) images.dispose();
          yield { images: out, labels: labels! };
        }
      },
    };
  };
}

/**
 * `cnnkit train DATA --out RUN`: the tutorial's training, with Keras's defaults,
 * a checkpoint per epoch, history.json and curves.png; `resume` continues a run
 * from its newest complete checkpoint.
 */
export async function trainCommand(data: string, options: TrainOptions): Promise<TrainResult> {
  const { out: run, log } = options;
  const paths = runPaths(run);
  let config: TrainConfig = {
    imageSize: options.imageSize, batchSize: options.batchSize, epochs: options.epochs, validationSplit: options.validationSplit,
    seed: options.seed, augment: options.augment, model: options.model, optimizer: options.optimizer, lr: options.lr,
  };
  if (options.resume) {
    const saved = await readConfig(paths.config);
    for (const key of options.explicit) {
      if (key !== 'epochs' && JSON.stringify(saved[key]) !== JSON.stringify(config[key])) {
        throw new UserError(`train --resume: the run in "${run}" was started with ${key} ${JSON.stringify(saved[key])}, received ${JSON.stringify(config[key])}; drop the flag to resume it, or start a new run with another --out`);
      }
    }
    config = { ...saved, epochs: options.explicit.has('epochs') ? config.epochs : saved.epochs };
  }
  if (config.model !== 'seed-cnn' && !options.resume) config.model = resolve(config.model);
  // Cheap checks first: a typo must not wait for a pass over the images.
  if (config.model === 'seed-cnn' && Math.min(...config.imageSize) < 16) {
    throw new UserError(`train: --image-size ${config.imageSize.join('x')} is too small for seed-cnn, which halves the picture 4 times; use at least 16 (the tutorial uses 180)`);
  }
  const aug = parseAugmentSpec(config.augment, { seed: config.seed });
  const classes = await checkDataFolder('train', data, 2);
  await writableDir('train', '--out', run);
  const lock = await lockRun(run, 'train', log);
  const stop = options.catchSignals === true ? catchStopSignals(log, () => lock.releaseSync()) : null;
  try {
    return await trainLocked(data, options, config, aug, classes, stop);
  } finally {
    stop?.dispose();
    await lock.release();
  }
}

/** The part of `trainCommand` that runs while this process holds the run's lock. */
async function trainLocked(
  data: string,
  options: TrainOptions,
  config: TrainConfig,
  aug: ReturnType<typeof parseAugmentSpec>,
  classes: Awaited<ReturnType<typeof checkDataFolder>>,
  stop: ReturnType<typeof catchStopSignals> | null,
): Promise<TrainResult> {
  const { out: run, log } = options;
  const paths = runPaths(run);
  if (!options.resume && ((await listCheckpoints(run)).length > 0 || (await stat(paths.config).then(() => true, () => false)))) {
    throw new UserError(`train: "${run}" already holds a training run; pass --resume to continue it, or choose another --out`);
  }
  await removeLeftovers(run);
  const rerun = `then run: cnnkit train ${shellWord(data)} --out ${shellWord(run)} --resume`;
  // The model is built (or loaded) on the tfjs backend its engine will most likely use;
  // chooseTrainingEngine below makes the choice, from the model, and may switch it.
  await useBackend(options.backend === 'onnx' ? 'wasm' : options.backend, 'train');

  const classNames = classes.map((c) => c.className);
  let model: Model;
  let history: Record<string, number[]> = {};
  let initialEpoch = 0;
  let initialProgress: EpochProgress | undefined;
  const resumed = options.resume ? await latestCheckpoint(run, log) : null;
  if (resumed !== null) {
    ({ model, history } = resumed);
    initialEpoch = resumed.epoch;
    initialProgress = resumed.progress ?? undefined;
    log(
      initialProgress === undefined
        ? `train: resuming "${run}" after epoch ${initialEpoch} of ${config.epochs}`
        : `train: resuming "${run}" in epoch ${initialEpoch + 1} of ${config.epochs} after step ${initialProgress.step}`,
    );
  } else {
    model = await buildModel(config, classNames.length);
    model.compile({ optimizer: { className: OPTIMIZERS[config.optimizer], config: { learningRate: config.lr } }, loss: lossFor(model, classNames).loss, metrics: ['accuracy'] });
    if (options.resume) log(`train: "${run}" has no complete checkpoint yet; starting from epoch 1`);
  }
  let chosen: ChosenTrainingEngine | undefined;
  try {
    try {
      chosen = await chooseTrainingEngine(model, { backend: options.backend, registry: cliRegistry(), workers: options.workers });
    } catch (error) {
      if (error instanceof CnnkitError && (error.code === 'UNSUPPORTED_MODEL' || error.code === 'INVALID_ARGUMENT')) {
        // The library's words for the options, in the CLI's flags.
        const message = error.message
          .replace(/^chooseTrainingEngine: /, '')
          .replace(/^(\d+) workers need /, '--workers $1 needs ')
          .replace('drop the worker count or use wasm', 'drop --workers or use --backend wasm')
          .replace('use backend wasm, or auto,', 'use --backend wasm, or --backend auto,');
        throw new UserError(`train: ${message}`);
      }
      throw error;
    }
    const { backend, workers } = chosen;
    log(`train: engine ${chosen.reason}`);
    // Image files as named, before decoding: the summary line below says how many are usable.
    log(`train: ${classes.length} classes (${classes.map((c) => `${c.className}: ${c.images} file${c.images === 1 ? '' : 's'}`).join(', ')}), image size ${config.imageSize.join('x')}`);
    await checkRoomForRun(run, { model, optimizer: OPTIMIZERS[config.optimizer], existing: await listCheckpoints(run), operation: 'train', next: `then run the command again${options.resume ? '' : ' (with --resume once a checkpoint exists)'}` });
    const { labelMode } = lossFor(model, classNames);
    const totalImages = classes.reduce((n, c) => n + c.images, 0);
    const cache: CacheOption | undefined = totalImages * config.imageSize[0] * config.imageSize[1] * 3 <= MEMORY_CACHE_BYTES ? 'memory' : undefined;
    // Keras's "Found N files belonging to K classes", with the split and what was skipped.
    // The library's words point at its API (report.broken); a CLI user gets the command.
    const logger = (line: string) =>
      log(`train: ${line.replace('(see report.broken: ', '(')}${line.includes('skipped') ? ` Run "cnnkit check ${data}" to list or quarantine them.` : ''}`);
    const common = { imageSize: config.imageSize, batchSize: config.batchSize, seed: config.seed, labelMode, classNames, cache, logger };
    let train: ImageDataset;
    let val: ImageDataset | null = null;
    if (config.validationSplit > 0) {
      [train, val] = await imageDatasetFromDirectory(data, { ...common, validationSplit: config.validationSplit, subset: 'both' });
    } else {
      train = await imageDatasetFromDirectory(data, common);
    }
    if (val !== null && val.filePaths.length === 0) {
      throw new UserError(`train: --validation-split ${config.validationSplit} leaves no validation images out of ${train.filePaths.length}; use a larger split, more images, or --validation-split 0`);
    }
    await guardWrite({ operation: 'train', what: 'the run settings', path: paths.config, intact: () => intactCheckpoint(run), next: 'then run the command again' }, () =>
      writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`),
    );

    const training = { epochs: config.epochs, optimizer: config.optimizer, learningRate: config.lr, batchSize: config.batchSize, seed: config.seed, augment: config.augment, validationSplit: config.validationSplit, backend, workers };
    const metadata = { classNames, training };
    const pipeline = aug.length === 0 ? null : augmentation(aug, { seed: config.seed });
    const writer = new RunCheckpoint(run, history, metadata, config, rerun);
    if (initialEpoch < config.epochs) {
      try {
        await model.fit(trainingBatches(train, pipeline, config.seed), {
          engine: chosen.engine,
          epochs: config.epochs,
          initialEpoch,
          validationData: val === null ? undefined : labelled(val),
          callbacks: [writer],
          verbose: 1,
          progressStream: options.progress,
          initialProgress,
          signal: stop?.signal,
          backup: backupOptions(options.saveEvery, (p) => writer.backup(p)),
        });
      } catch (error) {
        const received = stop?.received() ?? null;
        if (received !== null && error instanceof CnnkitError && error.code === 'INTERRUPTED') {
          const [newest] = await listCheckpoints(run);
          const kept = newest === undefined ? 'no checkpoint was written yet' : `checkpoint "${newest.dir}" (${describeCheckpoint(newest)}) holds the run`;
          throw new Interrupted(`train: stopped by ${received}; ${kept}; continue it with: cnnkit train ${shellWord(data)} --out ${shellWord(run)} --resume`, signalExitCode(received));
        }
        // fit's own check, on every batch: "fit: the loss became NaN at epoch E, step S; ...".
        const at = error instanceof CnnkitError && error.code === 'NAN_LOSS' ? /the loss became (\S+) at epoch (\d+), step (\d+)/.exec(error.message) : null;
        if (at !== null) throw divergedError(`the loss became ${at[1]} at step ${at[3]}`, Number(at[2]), config, run);
        // fit's check at each epoch's end: "fit: weight P became V at epoch E (the loss was L); ...".
        const weight = error instanceof CnnkitError && error.code === 'NAN_LOSS' ? /weight (\S+) became (\S+) at epoch (\d+) \(the loss was ([^)]+)\)/.exec(error.message) : null;
        if (weight !== null) throw divergedError(`weight ${weight[1]} became ${weight[2]} (the loss was ${weight[4]})`, Number(weight[3]), config, run);
        throw error;
      }
    }
    const final = Object.fromEntries(Object.entries(history).map(([k, v]) => [k, v[v.length - 1]]));
    await writer.writeModel(model, { classNames, training: { ...training, epochs: config.epochs, final } });
    await writer.writeHistory();
    return {
      run, backend, workers, classNames, epochs: config.epochs, resumedFrom: initialEpoch, history, config,
      trainCount: train.filePaths.length, validationCount: val?.filePaths.length ?? 0,
      validationFiles: val === null ? [] : val.filePaths.map((file, i) => ({ file, className: classNames[val!.labels[i]] })),
      files: { model: paths.model, checkpoints: paths.checkpoints, history: paths.history, curves: paths.curves },
    };
  } finally {
    await chosen?.dispose();
    model.dispose();
  }
}

/** fit's backup settings for `--save-every`; none where checkpoints come only at epoch ends. */
function backupOptions(every: SaveEvery | undefined, save: (p: EpochProgress) => Promise<void>) {
  if (every === undefined || 'never' in every) return { save }; // still the checkpoint of a Ctrl-C
  return 'steps' in every ? { everySteps: every.steps, save } : { everyMs: every.ms, save };
}

/** Closing lines of `train`. */
export function formatTrain(r: TrainResult): string {
  const last = (k: string) => (r.history[k]?.length ? r.history[k][r.history[k].length - 1].toFixed(4) : 'n/a');
  return [
    `trained ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} on ${r.backend}${r.workers > 1 ? ` x${r.workers} (data-parallel)` : ''}${r.resumedFrom > 0 ? ` (resumed after epoch ${r.resumedFrom})` : ''}: loss ${last('loss')}, accuracy ${last('accuracy')}, val_loss ${last('val_loss')}, val_accuracy ${last('val_accuracy')}`,
    `model:       ${r.files.model}`,
    `checkpoints: ${r.files.checkpoints}`,
    `history:     ${r.files.history}`,
    `curves:      ${r.files.curves}`,
  ].join('\n');
}
