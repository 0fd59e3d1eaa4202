// Shared vitest settings. Numerical suites are CPU-bound and wasm instances are
// single-threaded in Node, so we run test files in forked processes (one tfjs
// engine each) and give slow kernels room without hiding hangs.
import { existsSync } from 'node:fs';
import { defineConfig, mergeConfig } from 'vitest/config';
import { SLOW_FUZZ_SCALE } from './fuzz.js';

/** Debian's chromium package ships SwiftShader's Vulkan driver (a CPU emulation of a GPU). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Environment for suites that run on webgpu: without a GPU, SwiftShader gives Dawn an
 * exact (slow) software adapter. Only when no Vulkan driver was chosen explicitly
 * (VK_DRIVER_FILES, the loader's newer name, wins over VK_ICD_FILENAMES), so a GPU
 * machine tests its GPU.
 * @returns {Record<string, string>}
 */
export function webgpuTestEnv() {
  if (process.env.VK_DRIVER_FILES !== undefined || process.env.VK_ICD_FILENAMES !== undefined) return {};
  return existsSync(SWIFTSHADER_ICD) ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {};
}

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
