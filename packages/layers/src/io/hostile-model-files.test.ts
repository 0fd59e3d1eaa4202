import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromJson } from '../models/model-from-json.js';
import { safetensorsBytes, safetensorsHeaderJson } from '../test-utils/hostile-json.js';
import { useTestBackend } from '../test-utils/setup.js';
import { encodeWeights, loadModel, modelFromArtifacts, modelJson } from './saved-model.js';

// Named regression cases: the reproductions and what the fuzz properties found.
let json: Record<string, any>;
let weights: Uint8Array;

beforeAll(async () => {
  await useTestBackend();
  const model = modelFromJson({
    className: 'Sequential',
    config: {
      name: 'small',
      seed: 0,
      layers: [
        { className: 'InputLayer', config: { shape: [8, 8, 3] } },
        { className: 'Conv2D', config: { filters: 2, kernelSize: 3 } },
        { className: 'Flatten', config: {} },
        { className: 'Dense', config: { units: 1, activation: 'sigmoid' } },
      ],
    },
  });
  json = modelJson(model);
  weights = await encodeWeights(model);
  model.dispose();
});

const edited = (edit: (j: Record<string, any>) => void) => {
  const copy = structuredClone(json);
  edit(copy);
  return JSON.stringify(copy);
};
const conv = (j: Record<string, any>) => j.architecture.config.layers[1].config;
const dense = (j: Record<string, any>) => j.architecture.config.layers[3].config;

describe('hostile model files: refused before anything is allocated, one line naming the file', () => {
  it.each<[string, () => [string, Uint8Array], string, RegExp]>([
    ['1e9 filters (the issue: 27e9 floats allocated, RangeError)', () => [edited((j) => (conv(j).filters = 1e9)), weights], 'MODEL_TOO_LARGE', /^model\.json: layer Conv2D "conv2d": weight "kernel" of shape \[3, 3, 3, 1000000000\] needs 100\.6 GiB, over the limit of 1\.0 GiB \(maxWeightBytes\)/],
    ['a huge kernelSize', () => [edited((j) => Object.assign(conv(j), { kernelSize: [50000, 50000], padding: 'same' })), weights], 'MODEL_TOO_LARGE', /^model\.json: layer Conv2D "conv2d": weight "kernel" of shape \[50000, 50000, 3, 2\]/],
    ['1e9 Dense units', () => [edited((j) => (dense(j).units = 1e9)), weights], 'MODEL_TOO_LARGE', /^model\.json: layer Dense "dense": weight "kernel" of shape \[72, 1000000000\]/],
    ['an input of 1e5 x 1e5 pixels', () => [edited((j) => (j.architecture.config.layers[0].config.shape = [100000, 100000, 3])), weights], 'MODEL_TOO_LARGE', /^model\.json: layer InputLayer "input_layer": its output \(None, 100000, 100000, 3\) for one image needs 111\.8 GiB, over the limit of 1\.0 GiB \(maxActivationBytes\)/],
    ['20,000 layers', () => [edited((j) => (j.architecture.config.layers = Array.from({ length: 20_000 }, () => ({ className: 'Flatten', config: {} })))), weights], 'MODEL_TOO_LARGE', /^model\.json: 20000 layers, over the limit of 10000 \(maxLayers\)/],
    ['weights.file "../../x"', () => [edited((j) => (j.weights.file = '../../x')), weights], 'PATH_OUTSIDE_FOLDER', /^model\.json: refused: "weights\.file" "\.\.\/\.\.\/x" is a path/],
    ['offsets past the end of the file', () => {
      const { header, data } = safetensorsHeaderJson(weights);
      (header as any)['dense/bias'].data_offsets = [data.length - 4, data.length + 4000];
      return [JSON.stringify(json), safetensorsBytes(header, data)];
    }, 'INVALID_WEIGHTS', /^weights\.safetensors: tensor "dense\/bias": data_offsets \[\d+, \d+\] out of range: the data section has \d+ bytes/],
    ['shapes that disagree with the architecture', () => [edited((j) => (conv(j).filters = 3)), weights], 'WEIGHTS_MISMATCH', /^weights\.safetensors: tensor "conv2d\/kernel": the architecture in model\.json \(layer Conv2D "conv2d"\) implies shape \[3, 3, 3, 3\], the file has \[3, 3, 3, 2\]/],
    ['a gap in the data section', () => {
      const { header, data } = safetensorsHeaderJson(weights);
      return [JSON.stringify(json), safetensorsBytes(header, Uint8Array.from([...data, 0, 0, 0, 0]))];
    }, 'INVALID_WEIGHTS', /^weights\.safetensors: the last 4 of the data section's \d+ bytes belong to no tensor/],
    ['a header length over the limit', () => {
      const big = new Uint8Array(17 * 1024 * 1024 + 8);
      new DataView(big.buffer).setBigUint64(0, BigInt(big.length - 8), true);
      return [JSON.stringify(json), big];
    }, 'INVALID_WEIGHTS', /^weights\.safetensors: header length \d+ is over the limit of 16777216 bytes/],
  ])('%s', (_name, files, code, message) => {
    const before = tf.memory();
    const [text, bytes] = files();
    let error: unknown;
    try {
      modelFromArtifacts(text, bytes).model.dispose();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CnnkitError);
    expect((error as CnnkitError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/\n/);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('found by fuzzing: a bad config in a later layer no longer leaves the earlier layers\' weights allocated', () => {
    const before = tf.memory().numTensors;
    expect(() => modelFromArtifacts(edited((j) => (dense(j).trainable = '')), weights)).toThrow(/model\.json: Dense: expected "trainable" to be true or false, received ""/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('found by fuzzing: a functional chain of 10,000 layers loads instead of overflowing the call stack', () => {
    const layers: unknown[] = [{ className: 'InputLayer', config: { name: 'in', shape: [2] }, inbound: [] }];
    for (let i = 0; i < 9_999; i++) layers.push({ className: 'Activation', config: { name: `a${i}`, activation: 'relu' }, inbound: [i === 0 ? 'in' : `a${i - 1}`] });
    const model = modelFromJson({ className: 'Functional', config: { name: 'deep', seed: 0, layers, inputLayers: ['in'], outputLayers: ['a9998'] } });
    expect(model.layers.length).toBe(10_000);
    model.dispose();
  });

  it('found by fuzzing: a functional config whose layer entry is null fails with a message, not a TypeError', () => {
    const config = { name: 'f', seed: 0, layers: [null], inputLayers: ['in'], outputLayers: ['in'] };
    expect(() => modelFromJson({ className: 'Functional', config }, 'arch.json')).toThrow(/^arch\.json: expected layers\[0\] to be \{ className, config, inbound \}, received null$/);
  });

  it('found by fuzzing: a Sequential without layers is refused (the CLI read its output shape: TypeError)', () => {
    expect(() => modelFromJson({ className: 'Sequential', config: { name: 's', seed: 0, layers: [] } }, 'arch.json')).toThrow(/^arch\.json: expected "layers" to start with an InputLayer, received \[\]$/);
  });

  it('found by fuzzing: a JSON error quoting a newline is still one line', () => {
    expect(() => modelFromArtifacts('{"format":\n\n tru}', weights)).toThrow(/^model\.json: bad JSON: Unexpected token '}', "\{"format": tru\}" is not valid JSON$/);
  });

  it('the limits are configurable: a smaller one refuses what the default loads', () => {
    const text = edited((j) => (j.architecture.config.layers[0].config.shape = [64, 64, 3]));
    expect(() => modelFromArtifacts(text, weights, undefined, { limits: { maxActivationBytes: 1000 } })).toThrow(/its output \(None, 64, 64, 3\) for one image needs 48\.0 KiB, over the limit of 1000 bytes/);
  });
});

describe('loadModel reads only the folder\'s own regular files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cnnkit-hostile-'));
  });
  const folder = async (name: string, weightsAt: (d: string) => Promise<void>) => {
    const d = join(dir, name);
    await (await import('node:fs/promises')).mkdir(d);
    await writeFile(join(d, 'model.json'), JSON.stringify(json));
    await weightsAt(d);
    return d;
  };

  it('a weights file that is a link to /dev/zero (endless) is refused, not read', async () => {
    const d = await folder('zero', (d) => symlink('/dev/zero', join(d, 'weights.safetensors')));
    await expect(loadModel(d)).rejects.toThrow(/weights\.safetensors: refused: it is a link to "\/dev\/zero", outside the folder/);
  });

  it('a link to a file outside the folder is refused', async () => {
    await writeFile(join(dir, 'outside.safetensors'), weights);
    const d = await folder('outside', (d) => symlink(join(dir, 'outside.safetensors'), join(d, 'weights.safetensors')));
    await expect(loadModel(d)).rejects.toThrow(/weights\.safetensors: refused: it is a link to ".*outside\.safetensors", outside the folder/);
  });

  it('a FIFO (which would block the reader forever) is refused', async () => {
    const d = await folder('fifo', async (d) => {
      execFileSync('mkfifo', [join(d, 'weights.safetensors')]);
    });
    await expect(loadModel(d)).rejects.toThrow(/weights\.safetensors: expected a regular file, this is a FIFO/);
  });

  it('a weights file over the limit is refused before it is read', async () => {
    const d = await folder('big', (d) => writeFile(join(d, 'weights.safetensors'), weights));
    await expect(loadModel(d, { limits: { maxWeightBytes: 100, maxHeaderBytes: 100 } })).rejects.toThrow(/weights\.safetensors: the file has 844 bytes, over the limit of 208 bytes \(maxWeightBytes\)/);
  });

  it('a link inside the folder is followed', async () => {
    const d = await folder('inside', async (d) => {
      await writeFile(join(d, 'real.safetensors'), weights);
      await symlink('real.safetensors', join(d, 'weights.safetensors'));
    });
    const { model } = await loadModel(d);
    expect(model.countParams().total).toBe(3 * 3 * 3 * 2 + 2 + 72 + 1);
    model.dispose();
  });
});
