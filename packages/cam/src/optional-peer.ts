import { CnnkitError } from '@cnnkit/tensor-core';

/**
 * The optional peer dependencies of `@cnnkit/cam/node`: what each is for and what
 * to install (the ranges of cam's `peerDependencies`). The main entry needs neither.
 */
export const NODE_PEERS = {
  sharp: { install: 'sharp@^0.35.0', usedFor: 'it draws the heatmap overlays' },
  '@cnnkit/data': { install: '@cnnkit/data@0.1.0', usedFor: 'it lays out contact sheets' },
} as const;

export type NodePeer = keyof typeof NODE_PEERS;

/**
 * The one-line error for a `@cnnkit/cam/node` call whose optional peer is not installed.
 *
 * @example
 * missingPeerMessage('sharp');
 * // '@cnnkit/cam/node: the optional package sharp is not installed (it draws the heatmap overlays); install it with "npm install sharp@^0.35.0"'
 */
export function missingPeerMessage(peer: NodePeer): string {
  const { install, usedFor } = NODE_PEERS[peer];
  return `@cnnkit/cam/node: the optional package ${peer} is not installed (${usedFor}); install it with "npm install ${install}"`;
}

/** True when `error` (or an error it wraps) says that the package `name` itself cannot be found. */
function isPackageMissing(error: unknown, name: string): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(`'${name}'`)) return true;
  }
  return false;
}

/**
 * Loads an optional peer on first use. When the package is not installed this
 * rejects with a `MISSING_DEPENDENCY` CnnkitError naming it and the install
 * command; any other failure (the package is there but broken, or one of its own
 * dependencies is missing) is passed through unchanged.
 *
 * @example
 * const { default: sharp } = await loadPeer('sharp', () => import('sharp'));
 */
export async function loadPeer<T>(peer: NodePeer, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isPackageMissing(error, peer)) throw new CnnkitError('MISSING_DEPENDENCY', missingPeerMessage(peer), { cause: error });
    throw error;
  }
}
