import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { decodeImage, resizeImage, writeSampleData, type SampleDataOptions } from '@cnnkit/data';
import { loadModel, type ModelJson } from '@cnnkit/layers';
import { BackendRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_HELD_OUT_ACCURACY, trainTinyModel, type TinyModelResult } from './train-tiny-model.js';

// The oracle is the sample data's own labels (each picture is written into its
// class's folder by construction), not anything the trainer computes: the saved
// model is loaded on cpu (the trainer uses wasm), fed each file through
// decodeImage + resizeImage (what `cnnkit predict` does, not the dataset loader),
// and its answers are counted against those labels.

let work: string;
let modelDir: string;
let result: TinyModelResult;

/** Share of the pictures of `writeSampleData(dir, options)` the saved model classifies right. */
async function measuredAccuracy(dir: string, options: SampleDataOptions): Promise<{ accuracy: number; images: number }> {
  const sample = await writeSampleData(dir, options);
  await selectBackend({ name: 'cpu', task: 'infer', registry: new BackendRegistry().add(cpuBackend()), env: {} });
  const { model, json } = await loadModel(modelDir);
  try {
    const [, h, w] = model.inputs[0].shape as number[];
    const pixels = new Float32Array(sample.images.length * h * w * 3);
    for (const [i, image] of sample.images.entries()) {
      const resized = await resizeImage(await decodeImage(join(dir, image.file), { colorMode: 'rgb' }), [h, w]);
      pixels.set(resized.data, i * h * w * 3);
    }
    const x = tf.tensor4d(pixels, [sample.images.length, h, w, 3]);
    const y = model.predict(x) as tf.Tensor;
    const p = await y.data();
    tf.dispose([x, y]);
    // One sigmoid unit: p is the probability of the second class name.
    const right = sample.images.filter((image, i) => json.classNames![p[i] > 0.5 ? 1 : 0] === image.className).length;
    return { accuracy: right / sample.images.length, images: sample.images.length };
  } finally {
    model.dispose();
  }
}

/** The parts of model.json's training summary this test reads. */
interface RecordedTraining {
  final: { val_accuracy: number };
  data: { training: SampleDataOptions; heldOut: SampleDataOptions };
  heldOut: { images: number; correct: number };
}

async function recordedTraining(): Promise<RecordedTraining> {
  const json = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8')) as ModelJson;
  return json.training as unknown as RecordedTraining;
}

async function fileHashes(dir: string, options: SampleDataOptions): Promise<Set<string>> {
  const sample = await writeSampleData(dir, options);
  const hashes = new Set<string>();
  for (const image of sample.images) hashes.add(createHash('sha256').update(await readFile(join(dir, image.file))).digest('hex'));
  return hashes;
}

describe('trainTinyModel: the fallback model the demo serves', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cnnkit-demo-tiny-'));
    modelDir = join(work, 'model');
    result = await trainTinyModel(modelDir, { seed: 11 });
    console.log(`trainTinyModel: ${result.epochs} epochs, held-out ${result.heldOut.correct}/${result.heldOut.images} (${(100 * result.accuracy).toFixed(1)}%), ${result.seconds.toFixed(1)} s`);
  }, 180_000);

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('is right on at least 90% of new sample pictures, by the pictures\' own labels', async () => {
    // A seed the trainer never sees, and the wider size range the e2e test uses.
    const { accuracy, images } = await measuredAccuracy(join(work, 'new'), { seed: 4242, perClass: 100, minSize: 48, maxSize: 140, includeBroken: false });
    console.log(`trainTinyModel: right on ${(100 * accuracy).toFixed(1)}% of ${images} new pictures`);
    expect(images).toBe(200);
    expect(accuracy).toBeGreaterThanOrEqual(MIN_HELD_OUT_ACCURACY);
  });

  it('records the held-out accuracy the test measures on the same held-out pictures, within one picture', async () => {
    const training = await recordedTraining();
    const recorded = training.final.val_accuracy;
    const { accuracy, images } = await measuredAccuracy(join(work, 'held-out'), training.data.heldOut);
    console.log(`trainTinyModel: recorded ${(100 * recorded).toFixed(2)}%, measured ${(100 * accuracy).toFixed(2)}% on ${images} held-out pictures`);
    expect(result.accuracy).toBe(recorded);
    expect(training.heldOut).toEqual({ images, correct: Math.round(recorded * images) });
    expect(recorded).toBeGreaterThanOrEqual(MIN_HELD_OUT_ACCURACY);
    // The trainer decoded, resized and predicted in batches on wasm; the test does it
    // file by file on cpu. A picture whose probability sits within float error of 0.5
    // may fall either way: one picture is the tolerance.
    expect(Math.abs(accuracy - recorded)).toBeLessThanOrEqual(1 / images + 1e-9);
  });

  it('judges the model on pictures that are none of its training pictures', async () => {
    const training = await recordedTraining();
    const trained = await fileHashes(join(work, 'recorded-training'), training.data.training);
    const heldOut = await fileHashes(join(work, 'recorded-held-out'), training.data.heldOut);
    expect(trained.size).toBe(400);
    expect(heldOut.size).toBe(result.heldOut.images);
    expect([...heldOut].filter((h) => trained.has(h))).toEqual([]);
  });

  it('refuses to save a model below the bar, in one line naming what it reached and what was expected', async () => {
    const dir = join(work, 'undertrained');
    // One epoch leaves the tiny CNN near chance (it leaves its starting plateau after three or more).
    const error = await trainTinyModel(dir, { seed: 11, maxEpochs: 1 }).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/^trainTinyModel: after 1 epochs the model is right on \d+\.\d% of 200 held-out sample pictures; expected at least 90\.0%; nothing saved to /);
    expect(error?.message).not.toContain('\n');
    expect(existsSync(join(dir, 'model.json'))).toBe(false);
  });

  it('rejects options that cannot make a bar', async () => {
    await expect(trainTinyModel(join(work, 'bad'), { maxEpochs: 0 })).rejects.toThrow('trainTinyModel: expected maxEpochs a positive integer, received 0');
    await expect(trainTinyModel(join(work, 'bad'), { minAccuracy: 1.5 })).rejects.toThrow('trainTinyModel: expected minAccuracy in (0, 1], received 1.5');
    await expect(trainTinyModel(join(work, 'bad'), { aim: 0.5 })).rejects.toThrow('trainTinyModel: expected aim in [minAccuracy 0.9, 1], received 0.5');
  });
});
