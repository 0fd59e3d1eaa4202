/** fast-check parameters: `base` runs in `pnpm test`, scaled up in `pnpm test:slow`; replay with CNNKIT_FUZZ_SEED / CNNKIT_FUZZ_PATH. */
export function fuzzRuns(base: number): { numRuns: number; seed?: number; path?: string; endOnFailure: boolean };
export const SLOW_FUZZ_SCALE: number;
