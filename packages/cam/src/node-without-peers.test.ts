// `@cnnkit/cam/node` with sharp and @cnnkit/data not installed: the modules are
// replaced by ones that fail as Node does for a missing package (the error itself
// comes from Node, importing them from a folder where they are not installed).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { CamResult } from './compute-cam.js';
import { missingPeerMessage } from './optional-peer.js';
import { nodeMissingPackageError } from './test-utils/missing-package.js';

const missing = { sharp: nodeMissingPackageError('sharp'), data: nodeMissingPackageError('@cnnkit/data') };
vi.doMock('sharp', () => {
  throw missing.sharp;
});
vi.doMock('@cnnkit/data', () => {
  throw missing.data;
});

const dir = await mkdtemp(join(tmpdir(), 'cnnkit-cam-nopeers-'));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const image = { data: new Uint8Array(4 * 4 * 3).fill(128), width: 4, height: 4, channels: 3 };
const cam: CamResult = { heatmap: new Float32Array([0, 0, 0, 1]), height: 2, width: 2, classIndex: 0, score: 0.5, peak: [3, 3] };

describe('@cnnkit/cam/node without its optional peers', () => {
  it('imports (the peers load on first use), and so does the main entry', async () => {
    await expect(import('./node.js')).resolves.toHaveProperty('writeOverlay');
    await expect(import('./index.js')).resolves.toHaveProperty('computeCam');
  });

  it('overlayHeatmap and writeOverlay say sharp is missing and how to install it; nothing is written', async () => {
    const { overlayHeatmap, writeOverlay } = await import('./node.js');
    await expect(overlayHeatmap(image, cam)).rejects.toThrow(missingPeerMessage('sharp'));
    await expect(writeOverlay(join(dir, 'cam', 'x.png'), image, cam)).rejects.toMatchObject({ code: 'MISSING_DEPENDENCY', message: missingPeerMessage('sharp') });
    expect(await readdir(dir)).toEqual([]);
  });

  it('contactSheet says @cnnkit/data is missing', async () => {
    const { contactSheet } = await import('./node.js');
    await expect(contactSheet([{ image, cam, title: 'x' }], { out: join(dir, 'sheet.png') })).rejects.toThrow(missingPeerMessage('@cnnkit/data'));
  });
});
