// Shared vitest settings. Numerical suites are CPU-bound and wasm instances are
// single-threaded in Node, so we run test files in forked processes (one tfjs
// engine each) and give slow kernels room without hiding hangs.
import { defineConfig, mergeConfig } from 'vitest/config';
import { SLOW_FUZZ_SCALE } from './fuzz.js';

/** @param {import('vitest/config').UserConfig} [overrides] */
export function cnnkitVitestConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: ['**/*.slow.test.ts', '**/node_modules/**', '**/dist/**'],
        pool: 'forks',
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    }),
    overrides,
  );
}

/**
 * Config for `pnpm test:slow`: the *.slow.test.ts files, and the fuzz properties
 * (*.fuzz.test.ts, also in `pnpm test`) again with SLOW_FUZZ_SCALE times their runs.
 */
export function cnnkitSlowVitestConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['src/**/*.slow.test.ts', 'test/**/*.slow.test.ts', 'src/**/*.fuzz.test.ts'],
        env: { CNNKIT_FUZZ_SCALE: String(SLOW_FUZZ_SCALE) },
        pool: 'forks',
        testTimeout: 1_800_000,
        hookTimeout: 600_000,
      },
    }),
    overrides,
  );
}
