import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnnkit, tempDir } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;

beforeAll(async () => {
  dir = await tempDir('data');
  data = join(dir, 'data');
  const r = await cnnkit(['sample-data', data, '--per-class', '6']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^wrote 12 images \(6 circles, 6 squares\) to /);
});

describe('cnnkit sample-data', () => {
  it('writes the two class folders and the odd files', async () => {
    expect((await readdir(data)).sort()).toEqual(['README.txt', 'circles', 'squares']);
    expect(await readdir(join(data, 'circles'))).toContain('circle_truncated.jpg');
  });

  it('refuses a folder that is not empty, in one line', async () => {
    const r = await cnnkit(['sample-data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is not empty/);
  });
});

describe('cnnkit check', () => {
  it('--json prints exactly DESIGN.md keys, paths relative to DATA', async () => {
    const r = await cnnkit(['check', data, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { files: number; valid: number; broken: { file: string; reason: string }[]; ignored: string[] };
    expect(Object.keys(report).sort()).toEqual(['broken', 'files', 'ignored', 'valid']);
    expect(report).toMatchObject({ files: 15, valid: 12 });
    expect(report.broken.map((b) => b.file).sort()).toEqual(['circles/circle_truncated.jpg', 'squares/square_empty.jpg', 'squares/square_notes.jpg']);
    for (const b of report.broken) expect(Object.keys(b).sort()).toEqual(['file', 'reason']);
    expect(report.ignored.sort()).toEqual(['README.txt', 'circles/Thumbs.db', 'squares/.DS_Store']);
  });

  it('prints a readable report by default', async () => {
    const r = await cnnkit(['check', data]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/15 files, 12 valid, 3 broken, 3 ignored/);
    expect(r.stdout).toMatch(/broken\s+squares\/square_empty\.jpg: empty file/);
  });

  it('--quarantine moves the broken files (never deletes) and a second check finds none', async () => {
    const copy = join(dir, 'copy');
    expect((await cnnkit(['sample-data', copy, '--per-class', '3'])).code).toBe(0);
    const q = join(dir, 'quarantine');
    const r = await cnnkit(['check', copy, '--quarantine', q, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).broken).toHaveLength(3);
    expect(r.stderr).toMatch(/moved squares\/square_empty\.jpg -> /);
    expect((await stat(join(q, 'squares', 'square_empty.jpg'))).isFile()).toBe(true);
    const again = JSON.parse((await cnnkit(['check', copy, '--json'])).stdout);
    expect(again).toMatchObject({ files: 6, valid: 6, broken: [] });
  });
});

describe('cnnkit preview', () => {
  it('draws a 3x3 grid of samples and a 3x3 grid of augmented copies', async () => {
    const grid = join(dir, 'out', 'grid.png');
    const aug = join(dir, 'out', 'aug.png');
    const a = await cnnkit(['preview', data, '--out', grid, '--image-size', '40']);
    expect(a.code, a.stderr).toBe(0);
    const b = await cnnkit(['preview', data, '--out', aug, '--image-size', '40', '--augment', 'flip,rotate=0.1']);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/9 augmented copies of (circles|squares)\//);
    const ga = await sharp(grid).raw().toBuffer({ resolveWithObject: true });
    const gb = await sharp(aug).raw().toBuffer({ resolveWithObject: true });
    // Three cells of 40 px plus padding and titles on each side: the same layout for both.
    expect(ga.info.width).toBeGreaterThan(3 * 40);
    expect([gb.info.width, gb.info.height]).toEqual([ga.info.width, ga.info.height]);
    // Augmented copies differ from each other (rotations and flips), and the pictures are not blank.
    expect(ga.data.some((v) => v < 200)).toBe(true);
    expect(Buffer.compare(ga.data, gb.data)).not.toBe(0);
  });

  it('rejects an unknown augmentation before reading the folder', async () => {
    const r = await cnnkit(['preview', data, '--out', join(dir, 'x.png'), '--augment', 'flip,spin']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown augmentation "spin"/);
  });
});
