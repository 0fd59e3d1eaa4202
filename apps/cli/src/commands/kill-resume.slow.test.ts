import { beforeAll, describe, expect, it } from 'vitest';
import { killLoop } from '../test-utils/kill-loop.js';
import { sampleDataDir, tempDir } from '../test-utils/cnnkit.js';

let data: string;
beforeAll(async () => {
  ({ data } = await sampleDataDir('kill-resume-slow', 24));
});

describe('kill -9 at random points, many times', () => {
  // Several seeds: each loop kills runs 12 times at other moments, resuming each; a run
  // that finishes before its kill (an idle machine) is checked and a fresh one started.
  it.each([1, 2, 3])('seed %i: 12 kill -9s, each survived, the run ends bit-identical to an uninterrupted one', async (seed) => {
    const dir = await tempDir(`kill-resume-slow-${seed}`);
    const r = await killLoop({ data, dir, tries: 12, seed, maxDelayMs: 3000, epochs: 10 });
    console.log(`kill loop seed ${seed}: ${r.kills} kills at ${r.delays.join(', ')} ms`);
    expect(r.kills).toBeGreaterThanOrEqual(10);
  }, 900_000);
});
