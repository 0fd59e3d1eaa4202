import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Model } from '@cnnkit/layers';
import { formatBytes, freeBytes } from './write-failure.js';
import { UserError } from './user-error.js';

/** Checkpoints a run keeps: each is a complete resume point; while a new one is written, one more exists. */
export const KEPT_CHECKPOINTS = 2;

/** Optimizer slots per weight of `train --optimizer` at its defaults (RMSprop: velocity; Adam, AdamW: m and v; SGD without momentum: none). */
const SLOTS = { RMSprop: 1, Adam: 2, AdamW: 2, SGD: 0 } as const;

/** Room for model.json, training-state.json, safetensors headers, history.json and curves.png. */
const SMALL_FILES = 256 * 1024;

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) total += (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size;
  return total;
}

/** About how large one checkpoint of `model` is: its weights, the optimizer's slots, the small files. */
export function checkpointBytes(model: Model, optimizer: keyof typeof SLOTS): number {
  const weights = model.namedWeights().reduce((n, w) => n + w.variable.size * 4, 0);
  const trainable = model.trainableWeights.reduce((n, w) => n + w.variable.size * 4, 0);
  return weights + trainable * SLOTS[optimizer] + SMALL_FILES;
}

/**
 * Before the first epoch: fails in one line when the run folder cannot hold the
 * checkpoints training will write (those it keeps plus the one being written), and
 * the model, so a full disk is found in seconds, not after an epoch. A resumed run
 * measures its newest checkpoint and counts the ones already there.
 */
export async function checkRoomForRun(
  run: string,
  options: { model: Model; optimizer: keyof typeof SLOTS; existing: { dir: string }[]; operation: string; next: string },
): Promise<void> {
  const measured = options.existing.length > 0 ? await folderBytes(options.existing[0].dir) : 0;
  const perCheckpoint = measured > 0 ? measured : checkpointBytes(options.model, options.optimizer);
  const newCheckpoints = Math.max(1, KEPT_CHECKPOINTS + 1 - options.existing.length);
  const modelBytes = options.model.namedWeights().reduce((n, w) => n + w.variable.size * 4, 0) + SMALL_FILES;
  const needed = newCheckpoints * perCheckpoint + modelBytes;
  const free = await freeBytes(run);
  if (free === null || free >= needed) return;
  throw new UserError(
    `${options.operation}: "${run}" has ${formatBytes(free)} free, but the run needs about ${formatBytes(needed)} (${newCheckpoints} checkpoint(s) of ${formatBytes(perCheckpoint)}: ${KEPT_CHECKPOINTS} kept plus the one being written, and the model); nothing was trained; free some space there or choose an --out on another disk, ${options.next}`,
  );
}
