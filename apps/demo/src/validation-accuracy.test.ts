import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validationAccuracy } from './validation-accuracy.js';

let work: string;

/** A folder with a model.json holding `training` (the lookup reads nothing else). */
async function modelFolder(dir: string, training: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 'cnnkit-model', formatVersion: 1, training }));
  return dir;
}

describe('validationAccuracy', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cnnkit-demo-accuracy-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("reads model.json's training.final.val_accuracy, with the held-out count where recorded", async () => {
    const dir = await modelFolder(join(work, 'fallback'), { final: { accuracy: 1, val_accuracy: 0.955 }, heldOut: { images: 200, correct: 191 } });
    expect(await validationAccuracy(dir)).toEqual({ accuracy: 0.955, source: 'model.json training.final.val_accuracy', images: 200 });
  });

  it("falls back to the run's history.json, last val_accuracy, for RUN/model", async () => {
    const run = join(work, 'run');
    const dir = await modelFolder(join(run, 'model'), { epochs: 3 });
    await writeFile(join(run, 'history.json'), JSON.stringify({ accuracy: [0.6, 0.99, 1], val_accuracy: [0.5, 0.8, 0.875] }));
    expect(await validationAccuracy(dir)).toEqual({ accuracy: 0.875, source: 'history.json val_accuracy (last epoch)', images: null });
  });

  it('is unknown without a validation record: never the training accuracy, never a malformed value', async () => {
    const unknown = { accuracy: null, source: null, images: null };
    // The old fallback recorded only its training accuracy.
    expect(await validationAccuracy(await modelFolder(join(work, 'old'), { accuracy: 0.5 }))).toEqual(unknown);
    expect(await validationAccuracy(await modelFolder(join(work, 'bad'), { final: { val_accuracy: 1.5 } }))).toEqual(unknown);
    expect(await validationAccuracy(await modelFolder(join(work, 'none'), null))).toEqual(unknown);
    const run = join(work, 'run-no-val');
    await modelFolder(join(run, 'model'), {});
    await writeFile(join(run, 'history.json'), JSON.stringify({ accuracy: [0.9] }));
    expect(await validationAccuracy(join(run, 'model'))).toEqual(unknown);
    expect(await validationAccuracy(join(work, 'missing'))).toEqual(unknown);
  });
});
