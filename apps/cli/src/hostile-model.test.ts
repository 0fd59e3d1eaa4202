import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuBackend } from '@cnnkit/backend-cpu';
import { modelFromJson, saveModel } from '@cnnkit/layers';
import { defaultRegistry, selectBackend } from '@cnnkit/tensor-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, expectOneLine, tempDir, type RunResult } from './test-utils/cnnkit.js';

const preload = fileURLToPath(new URL('./test-utils/report-max-rss.mjs', import.meta.url));
/** The bound on a refused model: the whole process, tfjs and sharp loaded, stays under it. */
const PEAK_LIMIT_KB = 500 * 1024;

/** `cnnkit ...args` with its peak memory (maxRSS, KiB) measured by the preload. */
async function measured(args: string[], dir: string): Promise<RunResult & { maxRssKb: number }> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  const r = await new Promise<RunResult>((resolve) => {
    execFile(process.execPath, ['--import', preload, bin, ...args], { env: { ...process.env, CNNKIT_BACKEND: '', CNNKIT_MAXRSS_FILE: rssFile } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
  return { ...r, maxRssKb: Number(await readFile(rssFile, 'utf8')) };
}

let dir: string;
let image: string;
let json: Record<string, any>;
let weights: Uint8Array;

/** A model folder: the good model.json and weights, each optionally edited. */
async function folder(name: string, edit: { json?: (j: Record<string, any>) => void; weights?: (w: Uint8Array) => Uint8Array } = {}): Promise<string> {
  const d = join(dir, name);
  await mkdir(d);
  const j = structuredClone(json);
  edit.json?.(j);
  await writeFile(join(d, 'model.json'), JSON.stringify(j));
  await writeFile(join(d, 'weights.safetensors'), edit.weights?.(weights) ?? weights);
  return d;
}

/** The weights file with its header rewritten by `edit` (same data section). */
function withHeader(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  edit(header);
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + h.length + bytes.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(bytes.subarray(8 + n), 8 + h.length);
  return out;
}

const conv = (j: Record<string, any>) => j.architecture.config.layers[2].config;

beforeAll(async () => {
  if (!defaultRegistry.names().includes('cpu')) defaultRegistry.add(cpuBackend());
  await selectBackend({ name: 'cpu' });
  dir = await tempDir('hostile');
  image = join(dir, 'img.png');
  await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toFile(image);
  const model = modelFromJson({
    className: 'Sequential',
    config: {
      name: 'small',
      seed: 0,
      layers: [
        { className: 'InputLayer', config: { shape: [16, 16, 3] } },
        { className: 'Rescaling', config: { scale: 1 / 255 } },
        { className: 'Conv2D', config: { filters: 4, kernelSize: 3, activation: 'relu' } },
        { className: 'GlobalAveragePooling2D', config: {} },
        { className: 'Dense', config: { units: 1, activation: 'sigmoid' } },
      ],
    },
  });
  await saveModel(model, join(dir, 'saved'), { classNames: ['cat', 'dog'] });
  model.dispose();
  json = JSON.parse(await readFile(join(dir, 'saved', 'model.json'), 'utf8'));
  weights = await readFile(join(dir, 'saved', 'weights.safetensors'));
}, 60_000);

describe('cnnkit predict on hostile model folders: one line, exit 1, peak memory under 500 MB', () => {
  it('the intact folder predicts (the control: the same command can succeed)', async () => {
    const r = await measured(['predict', await folder('good'), image, '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)[0].class).toMatch(/^(cat|dog)$/);
    console.log(`intact model, predicted: peak RSS ${Math.round(r.maxRssKb / 1024)} MiB`);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['model.json asking for 1e9 filters', () => folder('filters-1e9', { json: (j) => (conv(j).filters = 1e9) }), /model\.json: layer Conv2D "conv2d": weight "kernel" of shape \[3, 3, 3, 1000000000\] needs 100\.6 GiB, over the limit of 1\.0 GiB \(maxWeightBytes\).*refused before allocating it; if the model is genuine and fits in memory, set CNNKIT_MAX_MODEL_BYTES/],
    // 1e7 filters is 1.08 GB of kernel: small enough that a loader without the check really allocates it.
    ['model.json asking for 1e7 filters', () => folder('filters-1e7', { json: (j) => (conv(j).filters = 1e7) }), /weight "kernel" of shape \[3, 3, 3, 10000000\] needs 1\.0 GiB, over the limit of 1\.0 GiB/],
    ['a safetensors header whose offsets exceed the file', () => folder('offsets', { weights: (w) => withHeader(w, (h) => (h['dense/bias'].data_offsets = [h['dense/bias'].data_offsets[0], 4_000_000_000])) }), /weights\.safetensors: tensor "dense\/bias": data_offsets \[\d+, 4000000000\] out of range: the data section has \d+ bytes.*the folder is damaged or was not written by cnnkit/],
    ['a safetensors header whose shapes disagree with the architecture', () => folder('shapes', { json: (j) => (conv(j).filters = 8) }), /weights\.safetensors: tensor "conv2d\/kernel": the architecture in .*model\.json \(layer Conv2D "conv2d"\) implies shape \[3, 3, 3, 8\], the file has \[3, 3, 3, 4\]/],
    ['a weights path leading outside the folder', () => folder('path', { json: (j) => (j.weights.file = '../../x') }), /model\.json: refused: "weights\.file" "\.\.\/\.\.\/x" is a path.*a model folder is read only from its own files/],
  ])('%s', async (_name, make, message) => {
    const r = await measured(['predict', await make(), image], dir);
    expect(expectOneLine(r)).toMatch(message);
    expect(r.maxRssKb).toBeGreaterThan(0);
    expect(r.maxRssKb, `peak ${Math.round(r.maxRssKb / 1024)} MiB`).toBeLessThan(PEAK_LIMIT_KB);
    console.log(`${_name}: peak RSS ${Math.round(r.maxRssKb / 1024)} MiB`);
  });

  it('CNNKIT_MAX_MODEL_BYTES lowers the cap: the intact model is then refused, naming the limit', async () => {
    const d = await folder('good-small-cap');
    const r = await new Promise<RunResult>((resolve) =>
      execFile(process.execPath, [bin, 'predict', d, image], { env: { ...process.env, CNNKIT_MAX_MODEL_BYTES: '100' } }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr }),
      ),
    );
    expect(expectOneLine(r)).toMatch(/model\.json: layer InputLayer "input_layer": its output \(None, 16, 16, 3\) for one image needs 3\.0 KiB, over the limit of 100 bytes \(maxActivationBytes\).*set CNNKIT_MAX_MODEL_BYTES to a larger number of bytes$/);
  });
});
