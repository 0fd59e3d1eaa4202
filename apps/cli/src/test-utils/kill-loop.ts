import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cnnkit, spawnCnnkit, watch } from './cnnkit.js';

const exists = (p: string) => stat(p).then(() => true, () => false);

/** A small seeded generator (the test's own, so a failing try can be replayed by its seed). */
function lcg(seed: number): () => number {
  // Scrambled first: nearby seeds would otherwise start with nearly the same delay.
  let s = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Every checkpoint under its final name is complete, and history.json, if there, is whole JSON. */
async function expectOnlyCompleteFiles(run: string, when: string): Promise<void> {
  for (const name of await readdir(join(run, 'checkpoints')).catch(() => [] as string[])) {
    if (name.startsWith('.')) continue;
    expect((await readdir(join(run, 'checkpoints', name))).sort(), `${when}: ${name}`).toEqual(['model.json', 'optimizer.safetensors', 'training-state.json', 'weights.safetensors']);
  }
  if (await exists(join(run, 'history.json'))) JSON.parse(await readFile(join(run, 'history.json'), 'utf8'));
}

export interface KillLoopResult {
  tries: number;
  /** Kills that landed while a run was training (it had not finished by itself). */
  kills: number;
  /** Delays (ms after the start of each try) at which kill -9 was sent. */
  delays: number[];
}

/**
 * Trains `data` into `dir/run` for `epochs` epochs, sending kill -9 at a random moment of each of `tries`
 * (0.2 s to maxDelayMs, within 85% of the time an uninterrupted run takes)
 * tries and resuming after each; then lets the last resume finish. Asserts after every
 * kill that only complete files stand under their final names, and at the end that the
 * model loads, the history has one entry per epoch, and weights and history are
 * bit-identical to an uninterrupted run.
 */
export async function killLoop(options: { data: string; dir: string; tries: number; seed: number; maxDelayMs: number; epochs: number; backend?: string }): Promise<KillLoopResult> {
  const { data, dir, epochs } = options;
  const engine = options.backend === undefined ? ['--workers', '1'] : ['--backend', options.backend];
  const flags = (run: string) => ['train', data, '--out', run, '--image-size', '16', '--batch-size', '4', '--epochs', String(epochs), '--seed', '9', '--augment', 'flip', '--save-every', '2', ...engine];
  const straight = join(dir, 'straight');
  const started = performance.now();
  const u = await cnnkit(flags(straight));
  expect(u.code, u.stderr).toBe(0);
  const expectSameAsStraight = async (run: string) => {
    const history = JSON.parse(await readFile(join(run, 'history.json'), 'utf8')) as Record<string, number[]>;
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(history[key], key).toHaveLength(epochs);
    expect(history).toEqual(JSON.parse(await readFile(join(straight, 'history.json'), 'utf8')));
    expect((await readFile(join(run, 'model', 'weights.safetensors'))).equals(await readFile(join(straight, 'model', 'weights.safetensors')))).toBe(true);
    const summary = await cnnkit(['summary', join(run, 'model')]);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toMatch(/Total params: 97,569/);
  };
  // Kills land 0.2 s to maxDelayMs after a start, but never later than 85% of an
  // uninterrupted run: on an idle machine the short run can end before a fixed window.
  const window = Math.max(300, Math.min(options.maxDelayMs, 0.85 * (performance.now() - started)));

  const random = lcg(options.seed);
  const delays: number[] = [];
  let kills = 0;
  let tries = 0;
  let round = 0;
  let run = join(dir, 'run-0');
  // Until `tries` kills have landed: a run that finishes before its kill (fast, idle
  // machine) is checked like a resumed one, and the next kill goes to a fresh run.
  for (; kills < options.tries && tries < options.tries * 4; tries++) {
    const resume = await exists(join(run, 'train-config.json'));
    const child = spawnCnnkit([...flags(run), ...(resume ? ['--resume'] : [])]);
    const w = watch(child);
    const delay = Math.round(200 + random() * (window - 200));
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    const exit = await w.exit;
    clearTimeout(timer);
    if (exit.signal !== 'SIGKILL') {
      expect(exit.code, `try ${tries + 1} (seed ${options.seed}): ${w.stderr()}`).toBe(0);
      await expectSameAsStraight(run);
      run = join(dir, `run-${++round}`);
      continue;
    }
    kills++;
    delays.push(delay);
    await expectOnlyCompleteFiles(run, `after kill ${kills} at ${delay} ms (seed ${options.seed})`);
  }
  const last = await cnnkit([...flags(run), ...((await exists(join(run, 'train-config.json'))) ? ['--resume'] : [])]);
  expect(last.code, last.stderr).toBe(0);
  await expectSameAsStraight(run);
  return { tries, kills, delays };
}
