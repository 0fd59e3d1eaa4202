import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { imageDatasetFromDirectory, writeSampleData } from '@cnnkit/data';
import { saveModel, seedCnn } from '@cnnkit/layers';
import { BackendRegistry, selectBackend, tf } from '@cnnkit/tensor-core';

export interface TinyModelOptions {
  /** Default 7. Seeds the sample images, the weights and the shuffling. */
  seed?: number;
  /** Default [64, 64]. */
  imageSize?: [number, number];
  /** Default 3. */
  epochs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/**
 * Trains the seed CNN briefly on the built-in sample data (circles vs squares)
 * and saves it to `outDir`, so the demo page always has a model to show, in
 * seconds. Trains on the best available backend (wasm, else cpu).
 *
 * @example
 * ```ts
 * await trainTinyModel('/tmp/tiny-model');
 * const server = await serveDemo({ modelDir: '/tmp/tiny-model' });
 * ```
 */
export async function trainTinyModel(outDir: string, options: TinyModelOptions = {}): Promise<{ classNames: string[]; accuracy: number }> {
  const seed = options.seed ?? 7;
  const imageSize = options.imageSize ?? [64, 64];
  const epochs = options.epochs ?? 3;
  const log = options.log ?? (() => undefined);
  const data = await mkdtemp(join(tmpdir(), 'cnnkit-demo-data-'));
  try {
    log(`writing sample images to ${data}`);
    await writeSampleData(data, { seed, perClass: 48, minSize: 48, maxSize: 96, includeBroken: false });
    const registry = new BackendRegistry().add(wasmBackend()).add(cpuBackend());
    const { plugin } = await selectBackend({ name: 'auto', task: 'train', registry, env: {} });
    const dataset = await imageDatasetFromDirectory(data, { imageSize, batchSize: 16, labelMode: 'binary', seed });
    const model = seedCnn({ imageSize, numClasses: dataset.classNames.length, seed, name: 'demo_tiny_cnn' });
    model.compile({ optimizer: { className: 'Adam', config: { learningRate: 3e-3 } }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
    log(`training ${epochs} epochs on ${plugin.name} (${dataset.filePaths.length} images, ${imageSize.join('x')})`);
    // labelMode 'binary' always yields labels; the type allows null for 'none'.
    const batches = (epoch: number): AsyncIterable<{ images: tf.Tensor; labels: tf.Tensor }> => {
      dataset.seekEpoch(epoch);
      return {
        async *[Symbol.asyncIterator]() {
          for await (const { images, labels } of dataset) yield { images, labels: labels! };
        },
      };
    };
    const history = await model.fit(batches, { epochs, verbose: 0 });
    const accuracy = history.history.accuracy?.at(-1) ?? Number.NaN;
    await saveModel(model, outDir, {
      classNames: [...dataset.classNames],
      training: { by: '@cnnkit/demo trainTinyModel', data: 'writeSampleData', seed, epochs, imageSize, backend: plugin.name, accuracy },
    });
    model.dispose();
    log(`saved to ${outDir} (training accuracy ${(100 * accuracy).toFixed(1)}%)`);
    return { classNames: [...dataset.classNames], accuracy };
  } finally {
    await rm(data, { recursive: true, force: true });
  }
}
