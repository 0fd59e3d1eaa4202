import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, expectErrorLine, expectOneLine, sampleDataDir, spawnCnnkit, until, watch } from '../test-utils/cnnkit.js';
import { failingWrites, smallDisk, type SmallDisk } from '../test-utils/small-disk.js';

let dir: string;
let data: string;
let model: string;
const disks: SmallDisk[] = [];
const exists = (p: string) => stat(p).then(() => true, () => false);
const train = (out: string, ...more: string[]) => ['train', data, '--out', out, '--image-size', '16', '--batch-size', '8', '--augment', 'none', '--workers', '1', '--seed', '3', ...more];
const disk = async (bytes: number) => {
  const d = await smallDisk(bytes);
  disks.push(d);
  return d;
};
/** Every file below `root`, relative, hidden ones included. */
const files = async (root: string) => (await readdir(root, { recursive: true })).map(String).sort();
const leftovers = (names: string[]) => names.filter((n) => /\.tmp|\.partial-/.test(n));

beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('disk-full', 24));
  const r = await cnnkit(train(join(dir, 'base'), '--epochs', '1'));
  if (r.code !== 0) throw new Error(r.stderr);
  model = join(dir, 'base', 'model');
}, 120_000);

afterAll(async () => {
  for (const d of disks) await d.remove();
});

describe('a full disk during each kind of write: one line, exit 1, nothing half-written under its name', () => {
  it('train on a disk without room for the checkpoints it keeps fails before the first epoch', async () => {
    const d = await disk(256 * 1024);
    const run = join(d.dir, 'run');
    const r = await cnnkit(train(run, '--epochs', '2'), d.options);
    const line = expectErrorLine(r);
    expect(line).toMatch(
      /^cnnkit: train: ".*\/run" has \d+(\.\d)? KB free, but the run needs about \d+(\.\d)? MB \(3 checkpoint\(s\) of \d+(\.\d)? (KB|MB): 2 kept plus the one being written, and the model\); nothing was trained; free some space there or choose an --out on another disk, then run the command again \(with --resume once a checkpoint exists\)$/,
    );
    expect(r.stderr).not.toMatch(/Epoch 1/);
    // Nothing of the run is left: no checkpoint, no settings, no lock.
    expect(await files(run)).toEqual([]);
  });

  it('a disk that fills up during training: the write fails naming the last complete checkpoint; after freeing space --resume finishes the run', async () => {
    const d = await disk(6 * 1024 * 1024);
    const run = join(d.dir, 'run');
    const child = spawnCnnkit(train(run, '--epochs', '6', '--batch-size', '4', '--save-every', 'epoch'), d.options);
    const w = watch(child);
    await until(() => exists(join(run, 'checkpoints', 'epoch-001', 'training-state.json')), w.exit, 'the first checkpoint');
    await d.fill(20 * 1024); // another program takes the space
    const { code } = await w.exit;
    const lines = w.stderr().trim().split('\n');
    const last = lines[lines.length - 1];
    expect(code, w.stderr()).toBe(1);
    expect(last).toMatch(
      /^cnnkit: train: cannot write (checkpoint|the training history|the training curves) "[^"]+": ENOSPC \(no space left on the device\); (it needs about \d+(\.\d)? \S+, )?\d+(\.\d)? \S+ (is|are) free; the last complete checkpoint, "[^"]+\/epoch-00\d" \(after epoch \d\), is intact; free some space there \(or choose a folder on another disk\), then run: cnnkit train \S+ --out \S+ --resume$/,
    );
    expect(w.stderr()).not.toMatch(/internal error|\n\s+at /);
    const [, kept, after] = /epoch-00(\d)" \(after epoch (\d)\)/.exec(last)!.map(Number);
    expect(after).toBe(kept);
    // Under their final names only complete checkpoints, and history.json whole.
    for (const name of await readdir(join(run, 'checkpoints'))) {
      if (name.startsWith('.')) continue;
      expect((await readdir(join(run, 'checkpoints', name))).sort(), name).toEqual(['model.json', 'optimizer.safetensors', 'training-state.json', 'weights.safetensors']);
    }
    const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    expect(history.loss.length).toBeGreaterThanOrEqual(kept - 1);
    expect(leftovers(await files(run))).toEqual([]);

    await d.unfill();
    const resumed = await cnnkit([...train(run, '--epochs', '6', '--batch-size', '4', '--save-every', 'epoch'), '--resume'], d.options);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resuming ".*" after epoch ${kept} of 6`));
    const full = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(full[key], key).toHaveLength(6);
  }, 180_000);

  it.each([
    // Before any checkpoint, the run is started again; after one, resumed.
    ['the run settings', 'ENOSPC', /train-config\.json/, 'train-config.json', /then run the command again$/],
    ['checkpoint', 'EIO', /checkpoints\/\.epoch-001\.partial/, 'checkpoints/epoch-001/weights.safetensors', /then run: cnnkit train \S+ --out \S+ --resume$/],
    ['the training history', 'EDQUOT', /history\.json/, 'history.json', /then run: cnnkit train \S+ --out \S+ --resume$/],
    ['the training curves', 'ENOSPC', /curves\.png/, 'curves.png', /then run: cnnkit train \S+ --out \S+ --resume$/],
    ['the trained model', 'EROFS', /\/model\/\.weights/, 'model/weights.safetensors', /then run: cnnkit train \S+ --out \S+ --resume$/],
  ])('train: %s (%s)', async (what, code, pattern, finalName, next) => {
    const run = join(dir, `fails-${code}-${finalName.replace(/\W/g, '_')}`);
    const r = await cnnkit(train(run, '--epochs', '1'), failingWrites(code, pattern));
    const line = expectErrorLine(r);
    expect(line).toContain(`cnnkit: train: cannot write ${what} "`);
    expect(line).toContain(`": ${code} (`);
    expect(line).toMatch(/; (no checkpoint of this run was written yet|the last complete checkpoint, "[^"]+epoch-001" \(after epoch 1\), is intact); /);
    expect(line).toMatch(next);
    expect(await exists(join(run, finalName))).toBe(false);
    expect(leftovers(await files(run))).toEqual([]);
  }, 60_000);

  it('export: the ONNX file on a small disk', async () => {
    const d = await disk(64 * 1024);
    const out = join(d.dir, 'model.onnx');
    const line = expectOneLine(await cnnkit(['export', model, '--out', out], d.options));
    expect(line).toMatch(
      new RegExp(`^cnnkit: export: cannot write the ONNX model "${out}": ENOSPC \\(no space left on the device\\); it needs about 3\\d\\d KB, \\d+(\\.\\d)? \\S+ (is|are) free; nothing was written under that name \\(a file there before is unchanged\\); free some space there \\(or choose a folder on another disk\\), then run the command again$`),
    );
    expect(await files(d.dir)).toEqual([]);
  }, 60_000);

  it('cam: the first picture on a full disk', async () => {
    const d = await disk(64 * 1024);
    await d.fill();
    const out = join(d.dir, 'cam');
    const image = join(data, 'circles', 'circle_000.png');
    const line = expectOneLine(await cnnkit(['cam', model, image, '--out', out], d.options));
    expect(line).toMatch(new RegExp(`^cnnkit: cam: cannot write the CAM picture "${out}/circle_000-gradcam.png": ENOSPC \\(no space left on the device\\); \\d+ bytes (is|are) free; nothing was written under its name; free some space`));
    expect(await files(out)).toEqual([]);
  }, 60_000);

  it('preview: the grid on a full disk', async () => {
    const d = await disk(64 * 1024);
    await d.fill();
    const out = join(d.dir, 'grid.png');
    const line = expectOneLine(await cnnkit(['preview', data, '--out', out, '--image-size', '32'], d.options));
    expect(line).toMatch(new RegExp(`^cnnkit: preview: cannot write the preview grid "${out}": ENOSPC \\(no space left on the device\\)`));
    expect((await files(d.dir)).filter((f) => f !== 'filler')).toEqual([]);
  }, 60_000);

  it('evaluate --out: the confusion matrix on a full disk', async () => {
    const d = await disk(64 * 1024);
    await d.fill();
    const out = join(d.dir, 'confusion.png');
    const r = await cnnkit(['evaluate', model, data, '--out', out], d.options);
    // evaluate logs the dataset summary (Keras's "Found N files") before it writes: the error is the one last line.
    expect(expectErrorLine(r)).toMatch(new RegExp(`^cnnkit: evaluate: cannot write the confusion matrix picture "${out}": ENOSPC`));
    expect((await files(d.dir)).filter((f) => f !== 'filler')).toEqual([]);
  }, 60_000);

  it('sample-data: the images on a full disk', async () => {
    const d = await disk(64 * 1024);
    await d.fill();
    const out = join(d.dir, 'data');
    const line = expectOneLine(await cnnkit(['sample-data', out, '--per-class', '2'], d.options));
    expect(line).toMatch(new RegExp(`^cnnkit: sample-data: cannot write the sample images into "${out}": ENOSPC \\(no space left on the device\\); \\d+ bytes (is|are) free; the images written before it are complete; free some space there \\(or choose a folder on another disk\\), then run the command again with a new or empty OUT$`));
  }, 60_000);

  it('check --quarantine: moves what fits, and one line for the files that did not; no partial copy left', async () => {
    const copy = await sampleDataDir('disk-full-check', 2);
    const broken = (JSON.parse((await cnnkit(['check', copy.data, '--json'])).stdout) as { broken: { file: string }[] }).broken.map((b) => b.file);
    expect(broken.length).toBeGreaterThan(1);
    const d = await disk(64 * 1024);
    await d.fill();
    const q = join(d.dir, 'q');
    const r = await cnnkit(['check', copy.data, '--quarantine', q], d.options);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    const line = lines[lines.length - 1];
    expect(line).toMatch(
      new RegExp(`^cnnkit: check: cannot write \\d broken file\\(s\\) into the quarantine "${q}": ENOSPC \\(no space left on the device\\); \\d+ bytes (is|are) free; the files not moved are still in "${copy.data}", unchanged, and no partial copy is left in the quarantine; free some space`),
    );
    // The empty broken file may fit where the text one cannot (a simulated disk counts bytes, tmpfs pages).
    const moved = lines.slice(0, -1).map((l) => /^moved (\S+) -> /.exec(l)![1]);
    expect(moved.length + Number(/write (\d) broken/.exec(line)![1])).toBe(broken.length);
    for (const file of broken) expect(await exists(join(copy.data, file)), file).toBe(!moved.includes(file));
    // Only whole moves are in the quarantine: no partial copy of a file that stayed.
    expect((await files(q)).filter((f) => f.includes('.'))).toEqual([...moved].sort());
  }, 60_000);
});
