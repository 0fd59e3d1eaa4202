import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { numbersIn, pngSize, type SnippetContext, type SnippetRun } from './snippet-context.js';

export interface Expectation {
  /** The Install lines (by their `# use:`) a user runs for this block: its imports must all be in them. */
  uses: string[];
  /** Code added after the block in the compiled file (type-level checks of a declaration-only block). */
  append?: string;
  check(run: SnippetRun, ctx: SnippetContext): Promise<void> | void;
}

const TOLERANCE = 1e-4; // DESIGN.md "Exported ONNX": ONNX vs the training backend

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** What the saved model and its ONNX file say about cat.jpg, measured outside the README's code. */
interface ModelFacts {
  savedClassNames: string[] | null;
  onnxClassNames: string[];
  onnxInput: (number | string)[];
  pSaved: number;
  pOnnx: number;
  layerClasses: string[];
}

const modelFacts = (modelDir: string, onnxFile: string) => `
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { defaultRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { wasmBackend } from '@cnnkit/backend-wasm';
import { loadModel } from '@cnnkit/layers';
import { decodeImage } from '@cnnkit/data';
import { readOnnxMetadata } from '@cnnkit/backend-onnx';
defaultRegistry.add(wasmBackend());
await selectBackend({ name: 'wasm' });
// No registerAugmentLayers(): loadModel registers the augmentation classes itself.
const { model, json } = await loadModel(${JSON.stringify(modelDir)});
const img = await decodeImage('cat.jpg', { colorMode: 'rgb' });
const pixels = Float32Array.from(img.data);
const shape = [1, img.height, img.width, 3];
const pSaved = (await model.predict(tf.tensor4d(pixels, shape)).data())[0];
const bytes = readFileSync(${JSON.stringify(onnxFile)});
const session = await ort.InferenceSession.create(bytes);
const out = await session.run({ image: new ort.Tensor('float32', pixels, shape) });
const meta = readOnnxMetadata(bytes);
console.log(JSON.stringify({
  savedClassNames: json.classNames, onnxClassNames: JSON.parse(meta.get('classNames')), onnxInput: session.inputMetadata[0].shape,
  pSaved, pOnnx: out.probabilities.data[0], layerClasses: model.layers.map((l) => l.className),
}));
`;

async function checkpointEpochs(dir: string): Promise<number[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((n) => /^epoch-\d+$/.test(n)).map((n) => Number(n.slice(6))).sort((a, b) => a - b);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Parameters in a saved model, from its safetensors header (shape products), not from the code that printed them. */
async function savedParameterCount(modelDir: string): Promise<number> {
  const bytes = await readFile(join(modelDir, 'weights.safetensors'));
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { shape?: number[] }>;
  return Object.entries(header).filter(([k]) => k !== '__metadata__').reduce((sum, [, v]) => sum + (v.shape ?? []).reduce((a, b) => a * b, 1), 0);
}

function trainCount(ctx: SnippetContext): number {
  const valid = ctx.data.imageFiles.length - ctx.data.broken.length;
  return valid - Math.trunc(0.2 * valid); // Keras's split: the last trunc(split x n) are validation
}

export const EXPECTATIONS: Record<string, Expectation> = {
  "README.md#The TypeScript API, next to the tutorial's Keras code": {
    uses: ['train', 'export'],
    async check(run, ctx) {
      const output = run.stdout + run.stderr;
      // Progress: Keras's "Epoch k/N" per epoch (the rest of the line is the library's to change).
      for (const k of range(ctx.sizes.epochs)) expect(output, 'training progress').toContain(`Epoch ${k}/${ctx.sizes.epochs}`);
      // Keras's summary line, counted from the folder the test wrote: every image file, the split, each broken one.
      const valid = ctx.data.imageFiles.length - ctx.data.broken.length;
      const found = /^Found (\d+) files belonging to (\d+) classes; using (\d+) for training \/ (\d+) for validation; skipped (\d+) broken \(see report\.broken: (.*)\)\.$/m.exec(output);
      expect(found, `the dataset summary line in:\n${output}`).not.toBeNull();
      expect(found!.slice(1, 6).map(Number)).toEqual([ctx.data.imageFiles.length, ctx.data.classNames.length, trainCount(ctx), valid - trainCount(ctx), ctx.data.broken.length]);
      // The first three broken files are named (in the order the check found them), the rest counted.
      const named = [...found![6].matchAll(/(\S+\/\S+) \(/g)].map((m) => m[1]);
      expect(named.length).toBe(Math.min(3, ctx.data.broken.length));
      for (const file of named) expect(ctx.data.broken).toContain(file);
      expect(await checkpointEpochs(join(ctx.dir, 'run/checkpoints')), 'one checkpoint per epoch').toEqual(range(ctx.sizes.epochs));
      const facts = await ctx.check<ModelFacts>('api-model', modelFacts('run/model', 'run/model.onnx'));
      expect(facts.savedClassNames).toEqual(ctx.data.classNames);
      expect(facts.onnxClassNames).toEqual(ctx.data.classNames);
      expect(facts.onnxInput.slice(1)).toEqual([ctx.sizes.imageSize, ctx.sizes.imageSize, 3]);
      expect(facts.pSaved).toBeGreaterThanOrEqual(0);
      expect(facts.pSaved).toBeLessThanOrEqual(1);
      expect(Math.abs(facts.pOnnx - facts.pSaved)).toBeLessThanOrEqual(TOLERANCE);
      expect(facts.layerClasses).toEqual(expect.arrayContaining(['RandomFlip', 'RandomRotation']));
      ctx.memo.catProbability = facts.pSaved;
      ctx.memo.layerClasses = facts.layerClasses;
    },
  },
  'README.md#Choosing a backend': {
    uses: ['train', 'cpu'],
    // auto over cpu (priority 100) and wasm (200), both available on any machine: wasm.
    check: (run) => expect(run.stdout).toBe('wasm\n'),
  },
  'README.md#Using the exported ONNX file': {
    uses: ['onnxruntime'],
    check(run, ctx) {
      expect(run.stdout).toMatch(/^Float32Array\(1\) \[/);
      const [p] = numbersIn(run.stdout.slice(run.stdout.indexOf('['))); // "Float32Array(1) [ p ]"
      expect(Math.abs(p - (ctx.memo.catProbability as number)), 'the same probability as the saved model').toBeLessThanOrEqual(TOLERANCE);
    },
  },
  'packages/augment/README.md#@cnnkit/augment': {
    uses: ['train'],
    check(run, ctx) {
      const s = ctx.sizes.imageSize;
      const [first, second, third] = lines(run.stdout);
      const [n, h, w, c, min, max] = numbersIn(first);
      expect([n, h, w, c]).toEqual([4, s, s, 3]);
      // Flips, rotations with reflect fill and bilinear blends stay inside the pixels' range; random pixels are not all 0.
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeLessThanOrEqual(255);
      expect(max).toBeGreaterThan(0);
      expect(Number(second)).toBe(0);
      expect(numbersIn(third)).toEqual([4, s, s, 3]);
    },
  },
  'packages/augment/README.md#As model layers': {
    uses: ['train'],
    check(run, ctx) {
      const [wrapped, built, loaded] = lines(run.stdout);
      expect(wrapped, 'a RandomFlip added to a Sequential is an AugmentLayer').toBe('true');
      expect(loaded).toBe(built);
      expect(loaded.split(' ')).toEqual(ctx.memo.layerClasses);
    },
  },
  'packages/backend-cpu/README.md#@cnnkit/backend-cpu': {
    uses: ['cpu'],
    check(run) {
      expect(run.stdout).toBe('cpu\n');
    },
  },
  'packages/backend-wasm/README.md#@cnnkit/backend-wasm': {
    uses: ['train'],
    check(run) {
      expect(run.stdout).toBe('wasm\n');
    },
  },
  'packages/backend-cuda/README.md#@cnnkit/backend-cuda': {
    uses: ['cuda'],
    check(run, ctx) {
      // Without the peer (the test leaves its line out) the message names the README's own install command.
      const peerLine = ctx.installLines.find((l) => l.use === 'cuda' && l.command.includes('tfjs-node-gpu'));
      expect(peerLine, 'the Install block has the tfjs-node-gpu line').toBeDefined();
      expect(run.stdout).toContain(peerLine!.command);
      expect(run.stdout).toMatch(/backend "cuda" is not available/);
    },
  },
  'packages/backend-onnx/README.md#@cnnkit/backend-onnx': {
    uses: ['onnx'],
    check(run, ctx) {
      const [names, probabilities] = lines(run.stdout);
      expect(names).toBe(`[ ${ctx.data.classNames.map((c) => `'${c}'`).join(', ')} ]`);
      expect(probabilities).toMatch(/^Float32Array\(1\) \[/);
      const [p] = numbersIn(probabilities.slice(probabilities.indexOf('[')));
      expect(Math.abs(p - (ctx.memo.catProbability as number))).toBeLessThanOrEqual(TOLERANCE);
    },
  },
  'packages/backend-webgpu/README.md#@cnnkit/backend-webgpu': {
    uses: ['webgpu', 'train'],
    check(run) {
      // auto never takes a software adapter (SwiftShader in CI): webgpu only on a real GPU, else wasm.
      const [name] = run.stdout.split(' ');
      if (name === 'webgpu') expect(run.stdout).toMatch(/software: false/);
      else expect(run.stdout).toBe('wasm undefined\n');
    },
  },
  'packages/cam/README.md#@cnnkit/cam': {
    uses: ['cam', 'train'],
    async check(run, ctx) {
      const s = ctx.sizes.imageSize;
      const [classIndex, score, y, x] = numbersIn(run.stdout);
      // The default class is the predicted one: sigmoid head, class 1 when p > 0.5.
      expect(classIndex).toBe((ctx.memo.catProbability as number) > 0.5 ? 1 : 0);
      expect(Number.isFinite(score)).toBe(true);
      for (const v of [y, x]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(s);
      }
      expect(pngSize(await readFile(join(ctx.dir, 'run/cam/cat.png')))).toEqual({ width: s, height: s });
      const sheet = pngSize(await readFile(join(ctx.dir, 'run/cam/sheet.png')));
      expect(sheet, 'sheet.png is a PNG').not.toBeNull();
      expect(sheet!.width).toBeGreaterThanOrEqual(2 * s); // the picture and its overlay side by side
    },
  },
  'packages/data/README.md#@cnnkit/data': {
    uses: ['train'],
    async check(run, ctx) {
      const out = lines(run.stdout);
      const total = ctx.data.imageFiles.length;
      const valid = total - ctx.data.broken.length;
      const report = /^(\d+) of (\d+) decode; broken: (.*)$/.exec(out[0]);
      expect(report, out[0]).not.toBeNull();
      expect([Number(report![1]), Number(report![2])]).toEqual([valid, total]);
      expect(report![3].split(', ').sort()).toEqual([...ctx.data.broken].sort());
      // quarantine moved exactly those, keeping their relative paths.
      for (const f of ctx.data.broken) {
        expect(existsSync(join(ctx.dir, 'PetImages-broken', f)), f).toBe(true);
        expect(existsSync(join(ctx.dir, 'PetImages', f)), f).toBe(false);
      }
      // After the quarantine the folder holds only valid files: nothing skipped.
      expect(out[1]).toBe(`Found ${valid} files belonging to ${ctx.data.classNames.length} classes; using ${trainCount(ctx)} for training / ${valid - trainCount(ctx)} for validation.`);
      const batches = out.slice(2, -1).map(numbersIn);
      for (const [n, h, w, c, labels] of batches) {
        expect([h, w, c, labels]).toEqual([ctx.sizes.imageSize, ctx.sizes.imageSize, 3, n]);
        expect(n).toBeLessThanOrEqual(ctx.sizes.batchSize);
      }
      expect(batches.reduce((sum, [n]) => sum + n, 0), 'one epoch sees every training file once').toBe(trainCount(ctx));
      expect(out.at(-1)).toBe(`[ ${ctx.data.classNames.map((c) => `'${c}'`).join(', ')} ] ${valid - trainCount(ctx)}`);
    },
  },
  'packages/export/README.md#@cnnkit/export': {
    uses: ['export'],
    async check(run, ctx) {
      expect(Number(run.stdout)).toBeLessThanOrEqual(TOLERANCE);
      const got = await ctx.check<{ p: number[]; classNames: string }>('tiny-onnx', `
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { readOnnxMetadata } from '@cnnkit/backend-onnx';
const bytes = readFileSync('run/tiny.onnx');
const session = await ort.InferenceSession.create(bytes);
const image = new ort.Tensor('float32', Float32Array.from([...Array(12).fill(255), ...Array(12).fill(0)]), [2, 2, 2, 3]);
const out = await session.run({ image });
console.log(JSON.stringify({ p: Array.from(out.probabilities.data), classNames: readOnnxMetadata(bytes).get('classNames') }));
`);
      // By hand: all-255 pixels give z = -1 + 255 * (0.01 - 0.02 + 0.03) = 4.1; all-0 pixels give z = -1.
      expect(got.p[0]).toBeCloseTo(sigmoid(4.1), 5);
      expect(got.p[1]).toBeCloseTo(sigmoid(-1), 5);
      expect(JSON.parse(got.classNames)).toEqual(['dark', 'bright']);
    },
  },
  'packages/export/README.md#From a layers `Model`': {
    uses: ['train', 'export'],
    async check(run, ctx) {
      const [first, second] = lines(run.stdout);
      expect(first.split(' ')[0]).toBe('true');
      expect(Number(first.split(' ')[1])).toBeLessThanOrEqual(TOLERANCE);
      expect(second).toBe('true');
      const facts = await ctx.check<ModelFacts>('export-17', modelFacts('run/model', 'run/model-17.onnx'));
      expect(facts.onnxClassNames).toEqual(ctx.data.classNames);
      expect(Math.abs(facts.pOnnx - facts.pSaved)).toBeLessThanOrEqual(TOLERANCE);
    },
  },
  'packages/export/README.md#The model description (`ExportModel`)': {
    uses: ['export'],
    // The block only declares types: it must describe the package's own, both ways.
    append: `
import type * as Exported from '@cnnkit/export';
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [Same<ExportModel, Exported.ExportModel>, Same<ExportLayer, Exported.ExportLayer>] = [true, true];
console.log(JSON.stringify(sameTypes));
`,
    check: (run) => expect(run.stdout).toBe('[true,true]\n'),
  },
  'packages/layers/README.md#@cnnkit/layers': {
    uses: ['train'],
    async check(run, ctx) {
      const total = /Total params:\s*([\d,]+)/.exec(run.stdout);
      expect(total, 'summary() prints the parameter count').not.toBeNull();
      const printed = Number(total![1].replaceAll(',', ''));
      expect(printed).toBe(await savedParameterCount(join(ctx.dir, 'run-layers/model')));
      // The block's comment states the count (seedCnn's does not depend on the image size).
      expect(printed).toBe(97_569);
      expect(await checkpointEpochs(join(ctx.dir, 'run-layers/checkpoints'))).toEqual(range(ctx.sizes.epochs));
      const accuracies = numbersIn(lines(run.stdout).at(-1)!);
      expect(accuracies).toHaveLength(ctx.sizes.epochs);
      for (const a of accuracies) expect(a >= 0 && a <= 1, String(a)).toBe(true);
    },
  },
  'packages/layers/README.md#Choosing the training engine (`chooseTrainingEngine`)': {
    uses: ['train'],
    check(run, ctx) {
      const [reason, losses] = lines(run.stdout);
      // This block registers wasm alone: auto passes ORT over (naming why) and trains on wasm, on the cores.
      expect(reason).toMatch(/^(data-parallel wasm x\d+ \(worker threads\)|wasm, one instance on this thread): /);
      expect(reason).toContain('ORT: the onnx backend (@cnnkit/backend-onnx) is not registered');
      const values = numbersIn(losses);
      expect(values).toHaveLength(ctx.sizes.epochs);
      for (const v of values) expect(Number.isFinite(v) && v > 0).toBe(true);
    },
  },
  'packages/layers/README.md#Data-parallel training on worker threads (`createDataParallelTrainer`)': {
    uses: ['train'],
    // Exiting at all is part of the check: workers left running would keep node alive past the timeout.
    check(run, ctx) {
      const losses = numbersIn(lines(run.stdout).at(-1)!);
      expect(losses).toHaveLength(ctx.sizes.epochs);
      for (const l of losses) expect(Number.isFinite(l) && l > 0, String(l)).toBe(true);
    },
  },
  'packages/onnx-proto/README.md#@cnnkit/onnx-proto': {
    uses: ['export', 'onnxruntime'],
    check(run) {
      const [x, y] = run.stdout.trim().split('] [').map(numbersIn);
      expect(x.length).toBeGreaterThan(0);
      // y = LeakyRelu(0.5 x, alpha 0.1), computed here.
      expect(y).toHaveLength(x.length);
      x.forEach((v, i) => expect(y[i]).toBeCloseTo(v >= 0 ? 0.5 * v : 0.05 * v, 6));
    },
  },
  'packages/tensor-core/README.md#@cnnkit/tensor-core': {
    uses: ['train'],
    check(run) {
      // auto among the registered plugins: wasm is the only one.
      expect(run.stdout).toBe('wasm wasm\n');
    },
  },
};
