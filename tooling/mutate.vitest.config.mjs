// The vitest config `pnpm mutate` hands Stryker: the package's usual settings
// (tooling/vitest-config) but only the test files that pin the module under
// mutation (CNNKIT_MUTATE_TESTS, set by tooling/mutate.mjs). Running the package's
// whole suite for every mutant would take hours on 2 cores, and some suites spawn
// processes that import dist/, which Stryker's sandbox does not mutate.
import { defineConfig } from 'vitest/config';

const tests = (process.env.CNNKIT_MUTATE_TESTS ?? '').split(',').filter(Boolean);
if (tests.length === 0) throw new Error('mutate.vitest.config: CNNKIT_MUTATE_TESTS is empty; run through `pnpm mutate`');

export default defineConfig({
  // Stryker runs vitest inside its sandbox copy of the package.
  root: process.cwd(),
  test: {
    include: tests,
    exclude: ['**/*.slow.test.ts', '**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
