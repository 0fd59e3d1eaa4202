import { describe, expect, it } from 'vitest';
import { orderedPrefetch } from './prefetch.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('orderedPrefetch', () => {
  it('yields in order although loads finish out of order, never more than `parallelism` at once', async () => {
    let running = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const v of orderedPrefetch(
      12,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await sleep((12 - i) % 4);
        running--;
        return i * 10;
      },
      { parallelism: 3, ahead: 6 },
    )) out.push(v);
    expect(out).toEqual(Array.from({ length: 12 }, (_, i) => i * 10));
    expect(peak).toBe(3);
  });

  it('keeps loading while the consumer is busy, but holds at most `ahead` items', async () => {
    const started: number[] = [];
    const gen = orderedPrefetch(
      20,
      async (i) => {
        started.push(i);
        return i;
      },
      { parallelism: 2, ahead: 5 },
    );
    expect((await gen.next()).value).toBe(0);
    await sleep(20); // consumer "trains" on item 0
    expect(started.length).toBe(6); // item 0 taken + 5 ahead
    await gen.return(undefined);
  });

  it('throws a failed load when its turn comes, after the earlier items', async () => {
    const seen: number[] = [];
    const run = async () => {
      for await (const v of orderedPrefetch(5, async (i) => (i === 3 ? Promise.reject(new Error('bad 3')) : i), { parallelism: 4, ahead: 4 })) seen.push(v);
    };
    await expect(run()).rejects.toThrow('bad 3');
    expect(seen).toEqual([0, 1, 2]);
  });
});
