import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RandomFlip, RandomRotation } from '@cnnkit/augment';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { saveModel, seedCnn, type Model } from '@cnnkit/layers';
import { defaultRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, expectOneLine, tempDir } from './test-utils/cnnkit.js';

const SIZE = 16;
let dir: string;
let image: string;
let model: Model;
/** The API's own probability for the image (augmentation is identity at inference): the oracle. */
let expected: number;

beforeAll(async () => {
  if (!defaultRegistry.names().includes('cpu')) defaultRegistry.add(cpuBackend());
  await selectBackend({ name: 'cpu' });
  dir = await tempDir('api-model');
  image = join(dir, 'img.png');
  // A picture already at the model's size, so the CLI's resize leaves its pixels as they are.
  const pixels = Buffer.from(Array.from({ length: SIZE * SIZE * 3 }, (_, i) => (i * 37) % 256));
  await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(image);
  // As the README's API example builds it: augment transforms straight into the model, Keras style.
  model = seedCnn({ imageSize: [SIZE, SIZE], numClasses: 2, seed: 3, augmentation: [new RandomFlip({ mode: 'horizontal' }), new RandomRotation({ factor: 0.1 })] });
  await saveModel(model, join(dir, 'model'), { classNames: ['cat', 'dog'] });
  const x = tf.tensor4d(Float32Array.from(pixels), [1, SIZE, SIZE, 3]);
  const y = model.predict(x) as tf.Tensor;
  expected = (await y.data())[0];
  tf.dispose([x, y]);
}, 60_000);
afterAll(() => model?.dispose());

describe('the CLI loads a model saved through the API with augmentation layers, with no registration step', () => {
  it('summary lists the augmentation layers; predict gives the API probability within 1e-6', async () => {
    const summary = await cnnkit(['summary', join(dir, 'model')]);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toMatch(/random_flip \(RandomFlip\)/);
    expect(summary.stdout).toMatch(/random_rotation \(RandomRotation\)/);
    const predicted = await cnnkit(['predict', join(dir, 'model'), image, '--json', '--backend', 'cpu']);
    expect(predicted.code, predicted.stderr).toBe(0);
    const [row] = JSON.parse(predicted.stdout) as { class: string; probabilities: Record<string, number> }[];
    expect(Math.abs(row.probabilities.dog - expected)).toBeLessThan(1e-6);
    expect(row.class).toBe(expected > 0.5 ? 'dog' : 'cat');
  }, 120_000);

  it('a layer class no cnnkit package has is named as such, not as a damaged folder', async () => {
    const json = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8')) as { architecture: { config: { layers: { className: string }[] } } };
    json.architecture.config.layers[1].className = 'MyFlip';
    const custom = join(dir, 'custom');
    await saveModel(model, custom, { classNames: ['cat', 'dog'] });
    await writeFile(join(custom, 'model.json'), JSON.stringify(json));
    const line = expectOneLine(await cnnkit(['summary', custom]));
    expect(line).toMatch(/unknown layer class "MyFlip": not a layer of cnnkit \(built in: .*; from other packages: RandomFlip, .* in @cnnkit\/augment\); a custom layer loads after registerLayerClass\("MyFlip", factory\); the folder is fine/);
    expect(line).not.toMatch(/damaged/);
  }, 60_000);
});
