// Shared fast-check settings. `pnpm test` runs each property `base` times; the slow
// config (test:slow) sets CNNKIT_FUZZ_SCALE so the same properties run thousands of
// times. A failure prints fast-check's seed and path; to replay it, run the test with
// CNNKIT_FUZZ_SEED=<seed> CNNKIT_FUZZ_PATH=<path>.

/**
 * @param {number} base runs in `pnpm test`
 * @returns {{ numRuns: number, seed?: number, path?: string, endOnFailure: boolean }}
 */
export function fuzzRuns(base) {
  const scale = Number(process.env.CNNKIT_FUZZ_SCALE ?? '1');
  const seed = process.env.CNNKIT_FUZZ_SEED;
  const path = process.env.CNNKIT_FUZZ_PATH;
  return {
    numRuns: Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    ...(seed === undefined || seed === '' ? {} : { seed: Number(seed) }),
    ...(path === undefined || path === '' ? {} : { path }),
    // Shrinking a slow case can take minutes; the seed and path already replay it.
    endOnFailure: process.env.CNNKIT_FUZZ_SHRINK !== '1',
  };
}

/** How many times test:slow multiplies each property's runs. */
export const SLOW_FUZZ_SCALE = 15;
