import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCheckpoint, type Model, type TrainingState } from '@cnnkit/layers';

/** The files of a run folder (DESIGN.md: model/, checkpoints/, history.json, curves.png, pictures). */
export function runPaths(run: string) {
  return {
    model: join(run, 'model'),
    checkpoints: join(run, 'checkpoints'),
    checkpoint: (epoch: number) => join(run, 'checkpoints', `epoch-${String(epoch).padStart(3, '0')}`),
    history: join(run, 'history.json'),
    curves: join(run, 'curves.png'),
    config: join(run, 'train-config.json'),
  };
}

/** Checkpoint folders of a run, newest first, with their epoch numbers. */
export async function listCheckpoints(run: string): Promise<{ dir: string; epoch: number }[]> {
  const dir = runPaths(run).checkpoints;
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, m: /^epoch-(\d+)$/.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ dir: join(dir, name), epoch: Number(m[1]) }))
    .sort((a, b) => b.epoch - a.epoch);
}

/**
 * The newest complete checkpoint of a run. A checkpoint cut short by a kill has no
 * training-state.json (it is written last) or mismatched files; such folders are
 * removed (they are cnnkit's own, never the user's) and the previous one is used.
 */
export async function latestCheckpoint(
  run: string,
  log: (line: string) => void,
): Promise<{ model: Model; epoch: number; history: Record<string, number[]>; state: TrainingState } | null> {
  for (const { dir } of await listCheckpoints(run)) {
    try {
      return await loadCheckpoint(dir);
    } catch (error) {
      log(`resume: skipping incomplete checkpoint ${dir} (${(error as Error).message}); removing it`);
      await rm(dir, { recursive: true, force: true });
    }
  }
  return null;
}

/** Keeps the newest `keep` checkpoints (each is a complete resume point; older ones only take space). */
export async function pruneCheckpoints(run: string, keep: number): Promise<void> {
  for (const { dir } of (await listCheckpoints(run)).slice(keep)) await rm(dir, { recursive: true, force: true });
}
