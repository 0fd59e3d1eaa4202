import { copyFile, cp, mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, expectOneLine, sampleDataDir } from './test-utils/cnnkit.js';

let dir: string;
let data: string;
let run: string;

beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('errors', 6));
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'one', 'cats'), { recursive: true });
  await copyFile(join(data, 'circles', 'circle_000.png'), join(dir, 'one', 'cats', 'a.png')).catch(async () => {
    // Formats are drawn at random: take whichever circle image exists.
    const { readdir } = await import('node:fs/promises');
    const first = (await readdir(join(data, 'circles'))).find((f) => /^circle_\d+\./.test(f))!;
    await copyFile(join(data, 'circles', first), join(dir, 'one', 'cats', first));
  });
  await writeFile(join(dir, 'a-file'), 'not a folder');
  await writeFile(join(dir, 'model.onnx'), 'an ONNX file (its content is never read: the path is refused first)');
  // A tiny trained model, to damage in two ways.
  run = join(dir, 'run');
  const t = await cnnkit(['train', data, '--out', run, '--image-size', '16', '--epochs', '1', '--batch-size', '4', '--augment', 'none']);
  expect(t.code, t.stderr).toBe(0);
  await cp(join(run, 'model'), join(dir, 'bad-json'), { recursive: true });
  await writeFile(join(dir, 'bad-json', 'model.json'), '{"format": "cnnkit-model", "architecture": ');
  await cp(join(run, 'model'), join(dir, 'truncated'), { recursive: true });
  const weights = join(dir, 'truncated', 'weights.safetensors');
  await truncate(weights, Math.floor((await readFile(weights)).length / 2));
}, 180_000);

describe('user errors: exit 1, one line saying what was wrong and what to do, no stack trace', () => {
  const img = () => join(data, 'squares', 'square_empty.jpg');
  it.each([
    ['missing folder', () => ['train', join(dir, 'nope'), '--out', join(dir, 'r')], /data folder ".*nope" does not exist; expected DATA\/<class>\/<image files>/],
    ['empty folder', () => ['train', join(dir, 'empty'), '--out', join(dir, 'r')], /data folder ".*empty" is empty .*expected DATA\/<class>/],
    ['one class only', () => ['train', join(dir, 'one'), '--out', join(dir, 'r')], /has only one class \("cats"\); a classifier needs at least 2: add a folder of images per class/],
    ['image size not a number', () => ['train', data, '--out', join(dir, 'r'), '--image-size', 'big'], /--image-size expects a number of pixels such as 180, or HEIGHTxWIDTH .*received "big"/],
    ['image too small for the tutorial CNN', () => ['train', data, '--out', join(dir, 'r'), '--image-size', '12x16'], /--image-size 12x16 is too small for seed-cnn, which halves the picture 4 times; use at least 16/],
    ['unknown backend (train, whose engines include onnx)', () => ['train', data, '--out', join(dir, 'r'), '--backend', 'tpu'], /unknown backend "tpu"; expected one of: auto, cpu, wasm, webgpu, cuda, onnx/],
    ['--workers not a positive integer', () => ['train', data, '--out', join(dir, 'r'), '--workers', '0'], /--workers expects a positive integer, received "0"/],
    ['--workers on a backend without worker threads', () => ['train', data, '--out', join(dir, 'r'), '--backend', 'onnx', '--workers', '2'], /--workers 2 needs a backend that runs in worker threads \(wasm or cpu\); onnx uses onnxruntime's own threads/],
    ['unknown backend (predict)', () => ['predict', run, img(), '--backend', 'tpu'], /unknown backend "tpu"; expected one of: auto, cpu, wasm, webgpu, cuda, onnx/],
    ['malformed model.json', () => ['predict', join(dir, 'bad-json'), img()], /cannot load the model in ".*bad-json": .*model\.json: bad JSON.*train again, or point at a checkpoint/],
    ['truncated weights', () => ['evaluate', join(dir, 'truncated'), data], /cannot load the model in ".*truncated": .*weights\.safetensors: .*truncated file.*train again/],
    ['missing model folder', () => ['summary', join(dir, 'no-model')], /model folder ".*no-model" does not exist; expected a saved model folder/],
    ['an ONNX file given to a tfjs backend', () => ['predict', join(dir, 'model.onnx'), img()], /^cnnkit: predict: ".*model\.onnx" is an ONNX file; add --backend onnx to run it \(the other backends read a saved model folder such as RUN\/model\)$/],
    ['a file given as the model folder', () => ['summary', join(dir, 'a-file')], /^cnnkit: summary: ".*a-file" is a file; expected a saved model folder such as RUN\/model/],
    ['output under a file', () => ['train', data, '--out', join(dir, 'a-file', 'run')], /cannot write --out ".*a-file\/run" \(a part of the path is a file, not a folder\); choose a folder you can write to/],
    ['output that cannot be created', () => ['preview', data, '--out', '/proc/cnnkit-test/grid.png'], /cannot write --out "\/proc\/cnnkit-test\/grid\.png".*choose a path you can write to/],
    ['run already there', () => ['train', data, '--out', run], /already holds a training run; pass --resume to continue it, or choose another --out/],
    ['resume without a run', () => ['train', data, '--out', join(dir, 'fresh'), '--resume'], /there is no run to resume there; start it without --resume/],
    ['unknown command', () => ['frobnicate'], /unknown command 'frobnicate'/],
  ])('%s', async (_name, args, message) => {
    const r = await cnnkit(args());
    expect(expectOneLine(r)).toMatch(message);
  });
});
