import { InvalidArgumentError } from 'commander';

/** When train writes a checkpoint inside an epoch: every N steps, or every so many milliseconds. */
export type SaveEvery = { steps: number } | { ms: number } | { never: true };

/**
 * The default: a checkpoint at least every 5 minutes, so a kill or power loss during a
 * long epoch (19,000 photos on a CPU take many minutes) costs at most that much work.
 */
export const DEFAULT_SAVE_EVERY = '5m';

const UNITS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `--save-every`: `N` steps, a time such as `90s`, `10m` or `1h`, or `epoch` (only at each epoch's end). */
export function parseSaveEvery(value: string): SaveEvery {
  if (value === 'epoch') return { never: true };
  const steps = /^[1-9]\d*$/.exec(value);
  if (steps !== null) return { steps: Number(value) };
  const time = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(value);
  if (time !== null && Number(time[1]) > 0) return { ms: Number(time[1]) * UNITS[time[2] as keyof typeof UNITS] };
  throw new InvalidArgumentError(`--save-every expects a number of steps (e.g. 500), a time (e.g. 90s, 10m, 1h) or "epoch", received "${value}"`);
}
