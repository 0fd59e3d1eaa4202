import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { GlobalAveragePooling2D } from '../layers/global-pooling2d.js';
import { Input } from '../layers/input-layer.js';
import { Model } from '../models/model.js';
import { seedCnn } from '../models/seed-cnn.js';
import { useTestBackend } from '../test-utils/setup.js';
import { loadModel, saveModel } from './saved-model.js';

let dir: string;
beforeAll(async () => {
  await useTestBackend();
  dir = await mkdtemp(join(tmpdir(), 'cnnkit-save-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('saveModel / loadModel', () => {
  it('save → load → predict gives identical outputs (Sequential)', async () => {
    const model = seedCnn({ imageSize: [16, 16], numClasses: 3, seed: 5 });
    const x = tf.randomUniform([4, 16, 16, 3], 0, 255, 'float32', 3);
    const before = await (model.predict(x) as tf.Tensor).data();
    await saveModel(model, join(dir, 'seq'), { classNames: ['a', 'b', 'c'], training: { epochs: 3 } });
    expect((await readdir(join(dir, 'seq'))).sort()).toEqual(['model.json', 'weights.safetensors']);
    const { model: loaded, json } = await loadModel(join(dir, 'seq'));
    expect(Array.from(await (loaded.predict(x) as tf.Tensor).data())).toEqual(Array.from(before));
    expect(json.classNames).toEqual(['a', 'b', 'c']);
    expect(json.inputShapes).toEqual([[16, 16, 3]]);
    expect(json.preprocessing).toMatch(/raw RGB pixels 0..255/);
    expect(json.training).toEqual({ epochs: 3 });
    expect(json.weights.paths[0]).toBe('conv2d/kernel');
  });

  it('keeps BatchNormalization statistics and functional graphs', async () => {
    const x = Input({ shape: [4, 4, 2] });
    const y = new Dense({ units: 2 }).apply(new GlobalAveragePooling2D().apply(new BatchNormalization().apply(new Conv2D({ filters: 3, kernelSize: 3, padding: 'same' }).apply(x))));
    const model = new Model({ inputs: x, outputs: y, seed: 9 });
    const input = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 1);
    model.call([input], { training: true }); // moves the BN statistics away from 0/1
    await saveModel(model, join(dir, 'fn'));
    const { model: loaded } = await loadModel(join(dir, 'fn'));
    expect(Array.from(await (loaded.predict(input) as tf.Tensor).data())).toEqual(Array.from(await (model.predict(input) as tf.Tensor).data()));
    expect(Array.from(await loaded.getLayer('batch_normalization').weights[2].variable.data())).not.toEqual([0, 0, 0]);
  });

  it('rejects malformed, truncated or inconsistent files with the file name and the problem', async () => {
    const model = seedCnn({ imageSize: [16, 16], numClasses: 2 });
    const base = join(dir, 'bad');
    await saveModel(model, base);
    const json = await readFile(join(base, 'model.json'), 'utf8');
    const weights = await readFile(join(base, 'weights.safetensors'));
    const attempt = async (modelText: string, weightBytes: Uint8Array, message: RegExp) => {
      const d = await mkdtemp(join(dir, 'case-'));
      await writeFile(join(d, 'model.json'), modelText);
      await writeFile(join(d, 'weights.safetensors'), weightBytes);
      const result = loadModel(d);
      await expect(result).rejects.toThrow(CnnkitError);
      await expect(result).rejects.toThrow(message);
    };
    const arch = JSON.parse(json);
    await attempt('{"format": "cnnkit-model", ', weights, /model\.json: bad JSON/);
    await attempt(JSON.stringify({ ...arch, format: 'keras' }), weights, /model\.json: expected "format": "cnnkit-model", received "keras"/);
    await attempt(JSON.stringify({ ...arch, formatVersion: 99 }), weights, /model\.json: unsupported formatVersion 99; this cnnkit reads versions 1..1/);
    const evil = structuredClone(arch);
    evil.architecture.config.layers[1] = { className: 'Lambda', config: { function: 'require("child_process").execSync("touch /tmp/pwned")' } };
    await attempt(JSON.stringify(evil), weights, /model\.json: layerFromConfig: unknown layer class "Lambda": not a layer of cnnkit \(built in: /);
    await attempt(json, weights.subarray(0, 6), /weights\.safetensors: expected at least 8 bytes/);
    await attempt(json, weights.subarray(0, 40), /weights\.safetensors: header length \d+ runs past the end of the file/);
    await attempt(json, weights.subarray(0, weights.length - 100), /weights\.safetensors: tensor "[^"]+": data_offsets \[\d+, \d+\] out of range/);
    const other = seedCnn({ imageSize: [16, 16], numClasses: 3 });
    await saveModel(other, join(dir, 'other'));
    const otherWeights = await readFile(join(dir, 'other', 'weights.safetensors'));
    await attempt(json, otherWeights, /weights\.safetensors: tensor "dense\/kernel": the architecture in .*model\.json \(layer Dense "dense"\) implies shape \[128, 1\], the file has \[128, 3\]/);
    const missing = structuredClone(arch);
    missing.architecture.config.layers.push({ className: 'Dense', config: { units: 1, name: 'extra' } });
    await attempt(JSON.stringify(missing), weights, /weights\.safetensors: missing tensor "extra\/kernel" \[1, 1\] of layer Dense "extra"/);
    await expect(loadModel(join(dir, 'nowhere'))).rejects.toThrow(/nowhere\/model\.json: cannot read: ENOENT/);
  });
});
