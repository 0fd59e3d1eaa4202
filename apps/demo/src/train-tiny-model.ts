import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { imageDatasetFromDirectory, writeSampleData, type ImageDataset } from '@cnnkit/data';
import { saveModel } from '@cnnkit/layers';
import { BackendRegistry, CnnkitError, selectBackend, tf } from '@cnnkit/tensor-core';
import { StopAtAccuracy } from './stop-at-accuracy.js';
import { tinyCnn } from './tiny-cnn.js';
import { tinyModelSamples } from './tiny-model-samples.js';

/** The demo never serves a fallback model right on fewer held-out pictures than this. */
export const MIN_HELD_OUT_ACCURACY = 0.9;

export interface TinyModelOptions {
  /** Default 7. Seeds the sample images, the weights and the shuffling. */
  seed?: number;
  /** Default [32, 32]. */
  imageSize?: [number, number];
  /** Default 40: the bound on training; reaching it below `minAccuracy` is an error. */
  maxEpochs?: number;
  /** Default MIN_HELD_OUT_ACCURACY (0.9): below it nothing is saved. */
  minAccuracy?: number;
  /** Default 0.95: training stops after the first epoch at or above it on the held-out pictures. */
  aim?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface TinyModelResult {
  classNames: string[];
  /** Held-out (validation) accuracy of the saved model, as recorded in model.json. */
  accuracy: number;
  /** Held-out pictures, and how many of them the saved model gets right. */
  heldOut: { images: number; correct: number };
  /** Epochs trained. */
  epochs: number;
  /** Wall time of the whole call: pictures, training, saving. */
  seconds: number;
}

function checkOptions(maxEpochs: number, minAccuracy: number, aim: number): void {
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1) {
    throw new CnnkitError('BAD_OPTION', `trainTinyModel: expected maxEpochs a positive integer, received ${maxEpochs}`);
  }
  if (!(minAccuracy > 0 && minAccuracy <= 1)) {
    throw new CnnkitError('BAD_OPTION', `trainTinyModel: expected minAccuracy in (0, 1], received ${minAccuracy}`);
  }
  if (!(aim >= minAccuracy && aim <= 1)) {
    throw new CnnkitError('BAD_OPTION', `trainTinyModel: expected aim in [minAccuracy ${minAccuracy}, 1], received ${aim}`);
  }
}

/** A dataset as `fit` batches: its own seeded order each epoch ('binary' labels are never null). */
function batches(dataset: ImageDataset): (epoch: number) => AsyncIterable<{ images: tf.Tensor; labels: tf.Tensor }> {
  return (epoch) => {
    dataset.seekEpoch(epoch);
    return {
      async *[Symbol.asyncIterator]() {
        for await (const { images, labels } of dataset) yield { images, labels: labels! };
      },
    };
  };
}

const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

/**
 * Trains a tiny CNN (`tinyCnn`) on the built-in sample data (circles vs squares) until it is
 * right on at least `minAccuracy` (90%) of held-out sample pictures it never trained
 * on, and saves it to `outDir` with that accuracy in model.json
 * (`training.final.val_accuracy`, where `cnnkit train` records its own), so the demo
 * page always has a model worth showing. Training stops at the first epoch that
 * reaches `aim` (95%): about ten epochs, 10 to 15 seconds on two busy cores; if `maxEpochs` pass without
 * reaching `minAccuracy` it throws and saves nothing. Deterministic for a seed on
 * one backend (wasm, else cpu).
 *
 * @example
 * ```ts
 * const { accuracy } = await trainTinyModel('/tmp/tiny-model');
 * const server = await serveDemo({ modelDir: '/tmp/tiny-model' });
 * ```
 */
export async function trainTinyModel(outDir: string, options: TinyModelOptions = {}): Promise<TinyModelResult> {
  const started = performance.now();
  const seed = options.seed ?? 7;
  const imageSize = options.imageSize ?? [32, 32];
  const maxEpochs = options.maxEpochs ?? 40;
  const minAccuracy = options.minAccuracy ?? MIN_HELD_OUT_ACCURACY;
  const aim = options.aim ?? Math.max(0.95, minAccuracy);
  const log = options.log ?? (() => undefined);
  checkOptions(maxEpochs, minAccuracy, aim);
  const samples = tinyModelSamples(seed);
  const data = await mkdtemp(join(tmpdir(), 'cnnkit-demo-data-'));
  try {
    log(`writing sample images to ${data}`);
    await writeSampleData(join(data, 'training'), samples.training);
    await writeSampleData(join(data, 'held-out'), samples.heldOut);
    const registry = new BackendRegistry().add(wasmBackend()).add(cpuBackend());
    const { plugin } = await selectBackend({ name: 'auto', task: 'train', registry, env: {} });
    // Both sets are decoded once and kept in memory: every epoch reads them again.
    const common = { imageSize, labelMode: 'binary', seed, cache: 'memory', logger: log } as const;
    const training = await imageDatasetFromDirectory(join(data, 'training'), { ...common, batchSize: 16 });
    const heldOut = await imageDatasetFromDirectory(join(data, 'held-out'), { ...common, batchSize: 100, shuffle: false, classNames: training.classNames });
    const model = tinyCnn(imageSize, seed);
    try {
      model.compile({ optimizer: { className: 'Adam', config: { learningRate: 1e-3 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
      log(`training on ${plugin.name} (${training.filePaths.length} images, ${imageSize.join('x')}) until ${percent(aim)} of ${heldOut.filePaths.length} held-out images are right, at most ${maxEpochs} epochs`);
      const stop = new StopAtAccuracy(aim, log);
      await model.fit(batches(training), { epochs: maxEpochs, validationData: batches(heldOut), callbacks: [stop], verbose: 0 });
      const final = stop.last ?? {};
      const accuracy = final.val_accuracy ?? Number.NaN;
      const images = heldOut.filePaths.length;
      if (!(accuracy >= minAccuracy)) {
        throw new CnnkitError(
          'FALLBACK_UNDERTRAINED',
          `trainTinyModel: after ${stop.epochs} epochs the model is right on ${percent(accuracy)} of ${images} held-out sample pictures; expected at least ${percent(minAccuracy)}; nothing saved to ${outDir} (raise maxEpochs or try another seed)`,
        );
      }
      const correct = Math.round(accuracy * images);
      await saveModel(model, outDir, {
        classNames: [...training.classNames],
        training: {
          by: '@cnnkit/demo trainTinyModel',
          seed,
          imageSize,
          backend: plugin.name,
          epochs: stop.epochs,
          maxEpochs,
          minAccuracy,
          final: { loss: final.loss, accuracy: final.accuracy, val_loss: final.val_loss, val_accuracy: accuracy },
          data: { by: 'writeSampleData', training: samples.training, heldOut: samples.heldOut },
          heldOut: { images, correct },
        },
      });
      const seconds = (performance.now() - started) / 1000;
      log(`saved to ${outDir}: right on ${correct} of ${images} held-out images (${percent(accuracy)}) after ${stop.epochs} epochs, ${seconds.toFixed(1)} s`);
      return { classNames: [...training.classNames], accuracy, heldOut: { images, correct }, epochs: stop.epochs, seconds };
    } finally {
      model.dispose();
    }
  } finally {
    await rm(data, { recursive: true, force: true });
  }
}
