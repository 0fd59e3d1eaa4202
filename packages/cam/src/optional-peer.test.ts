import { readFileSync } from 'node:fs';
import { CnnkitError } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { loadPeer, missingPeerMessage, NODE_PEERS } from './optional-peer.js';
import { nodeMissingPackageError } from './test-utils/missing-package.js';

const pkg = (rel: string) => JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as Record<string, any>;

describe('missingPeerMessage', () => {
  it.each([
    ['sharp', '@cnnkit/cam/node: the optional package sharp is not installed (it draws the heatmap overlays); install it with "npm install sharp@^0.35.0"'],
    ['@cnnkit/data', '@cnnkit/cam/node: the optional package @cnnkit/data is not installed (it lays out contact sheets); install it with "npm install @cnnkit/data@0.1.0"'],
  ] as const)('%s', (peer, message) => {
    expect(missingPeerMessage(peer)).toBe(message);
  });

  it('installs what package.json declares: optional peers, not dependencies', () => {
    const cam = pkg('../package.json');
    expect(NODE_PEERS.sharp.install).toBe(`sharp@${cam.peerDependencies.sharp}`);
    expect(NODE_PEERS['@cnnkit/data'].install).toBe(`@cnnkit/data@${pkg('../../data/package.json').version}`);
    for (const peer of Object.keys(NODE_PEERS)) {
      expect(cam.peerDependenciesMeta[peer]).toEqual({ optional: true });
      expect(cam.dependencies[peer]).toBeUndefined();
    }
  });
});

describe('loadPeer', () => {
  it('returns the module when the package is installed', async () => {
    const mod = await loadPeer('sharp', () => import('sharp'));
    expect(typeof mod.default).toBe('function');
  });

  it('turns Node\'s "cannot find package" for the peer into the one-line MISSING_DEPENDENCY error', async () => {
    const missing = nodeMissingPackageError('sharp');
    expect(missing.message).toMatch(/^Cannot find package 'sharp'/); // the real error, from a folder without sharp
    const error = await loadPeer('sharp', () => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CnnkitError);
    expect(error).toMatchObject({ code: 'MISSING_DEPENDENCY', message: missingPeerMessage('sharp'), cause: missing });
    expect((error as Error).message).not.toContain('\n');
  });

  it('also when a loader wraps that error (as vitest and bundlers do)', async () => {
    const wrapped = new Error('could not load the module', { cause: nodeMissingPackageError('@cnnkit/data') });
    await expect(loadPeer('@cnnkit/data', () => Promise.reject(wrapped))).rejects.toThrow(missingPeerMessage('@cnnkit/data'));
  });

  it('passes other failures through unchanged: a dependency of the peer missing, or a broken peer', async () => {
    const inner = nodeMissingPackageError('cnnkit-no-such-package');
    await expect(loadPeer('sharp', () => Promise.reject(inner))).rejects.toBe(inner);
    const broken = new Error('Could not load the "sharp" module using the linux-x64 runtime');
    await expect(loadPeer('sharp', () => Promise.reject(broken))).rejects.toBe(broken);
  });
});
