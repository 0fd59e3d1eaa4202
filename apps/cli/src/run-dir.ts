import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadCheckpoint, type EpochProgress, type Model, type TrainingState } from '@cnnkit/layers';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The files of a run folder (DESIGN.md: model/, checkpoints/, history.json, curves.png, pictures). */
export function runPaths(run: string) {
  return {
    model: join(run, 'model'),
    checkpoints: join(run, 'checkpoints'),
    /** After epoch `epoch` (1-based) is complete. */
    checkpoint: (epoch: number) => join(run, 'checkpoints', `epoch-${pad(epoch, 3)}`),
    /** Inside epoch `epoch` (1-based), after `step` of its batches. */
    stepCheckpoint: (epoch: number, step: number) => join(run, 'checkpoints', `epoch-${pad(epoch, 3)}-step-${pad(step, 6)}`),
    history: join(run, 'history.json'),
    curves: join(run, 'curves.png'),
    config: join(run, 'train-config.json'),
  };
}

/** A checkpoint folder of a run: `epochs` complete, plus `step` batches of the next. */
export interface CheckpointEntry {
  dir: string;
  epochs: number;
  step: number;
}

/** "after epoch 2" or "epoch 3, step 40": a checkpoint as people read it. */
export function describeCheckpoint(c: CheckpointEntry): string {
  return c.step === 0 ? `after epoch ${c.epochs}` : `epoch ${c.epochs + 1}, step ${c.step}`;
}

/** Checkpoint folders of a run, newest first. */
export async function listCheckpoints(run: string): Promise<CheckpointEntry[]> {
  const dir = runPaths(run).checkpoints;
  const names = await readdir(dir).catch(() => [] as string[]);
  const entries: CheckpointEntry[] = [];
  for (const name of names) {
    const m = /^epoch-(\d+)(?:-step-(\d+))?$/.exec(name);
    if (m === null) continue;
    const step = m[2] === undefined ? 0 : Number(m[2]);
    // epoch-004-step-000040 is inside epoch 4: 3 complete.
    entries.push({ dir: join(dir, name), epochs: step === 0 ? Number(m[1]) : Number(m[1]) - 1, step });
  }
  return entries.sort((a, b) => b.epochs - a.epochs || b.step - a.step);
}

/**
 * Removes what writes cut short left behind: checkpoint folders being staged and
 * temporary files (never a file under its final name). Only while holding the run's
 * lock, so no other process is writing them.
 */
export async function removeLeftovers(run: string): Promise<void> {
  const partial = /\.partial-\d+-[0-9a-f]+(\.old)?$|\.tmp-\d+$|^\..+\.\d+\.[0-9a-f]+\.tmp$|^\.cnnkit-lock\.(\d+\.new|stale-\d+)$/;
  for (const dir of [run, runPaths(run).checkpoints, runPaths(run).model]) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (partial.test(name)) await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}

/**
 * The newest complete checkpoint of a run. Checkpoints are renamed into place whole,
 * but one written by an older cnnkit, or damaged, may not load: such folders are
 * removed (they are cnnkit's own, never the user's) and the previous one is used.
 */
export async function latestCheckpoint(
  run: string,
  log: (line: string) => void,
): Promise<{ model: Model; epoch: number; history: Record<string, number[]>; state: TrainingState; progress: EpochProgress | null } | null> {
  for (const { dir } of await listCheckpoints(run)) {
    try {
      return await loadCheckpoint(dir);
    } catch (error) {
      log(`resume: skipping incomplete checkpoint ${dir} (${(error as Error).message}); removing it`);
      await removeCheckpoint(dir);
    }
  }
  return null;
}

/**
 * Deletes a checkpoint folder without ever leaving part of it under its name: it is
 * renamed to a leftover name first (one atomic step), then removed. A kill during the
 * removal leaves a hidden leftover, which the next train removes, instead of an empty or
 * half-deleted epoch-NNN folder that looks like a checkpoint.
 */
export async function removeCheckpoint(dir: string): Promise<void> {
  const doomed = join(dirname(dir), `.${basename(dir)}.partial-${process.pid}-${randomBytes(4).toString('hex')}.old`);
  try {
    await rename(dir, doomed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await rm(doomed, { recursive: true, force: true });
}

/** Keeps the newest `keep` checkpoints (each is a complete resume point; older ones only take space). */
export async function pruneCheckpoints(run: string, keep: number): Promise<void> {
  for (const { dir } of (await listCheckpoints(run)).slice(keep)) await removeCheckpoint(dir);
}
