import { beforeAll, describe, expect, it } from 'vitest';
import { killLoop } from '../test-utils/kill-loop.js';
import { sampleDataDir } from '../test-utils/cnnkit.js';

let dir: string;
let data: string;
beforeAll(async () => {
  ({ dir, data } = await sampleDataDir('kill-resume', 24));
});

describe('kill -9 at random points, then --resume (the short loop; the long one is kill-resume.slow.test.ts)', () => {
  it('3 kills: each leaves only complete files; the resumed run ends bit-identical to an uninterrupted one', async () => {
    const r = await killLoop({ data, dir, tries: 3, seed: 15, maxDelayMs: 2500, epochs: 3 });
    expect(r.kills).toBeGreaterThan(0);
  }, 240_000);
});
