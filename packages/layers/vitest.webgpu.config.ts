import { existsSync } from 'node:fs';
import { probeAdapter } from '@cnnkit/backend-webgpu';
import { cnnkitVitestConfig } from '@cnnkit/vitest-config';

// The suites that train, save, load and resume, run again on webgpu (small models:
// SwiftShader emulates the GPU on the CPU). Reads in them are asynchronous: WebGPU has no
// synchronous read-back in Node.
const files = ['src/training.test.ts', 'src/io/*.test.ts'];

// Without a GPU, Chromium's SwiftShader Vulkan driver gives Dawn a software adapter
// (exact, slow); an explicitly chosen driver (VK_DRIVER_FILES / VK_ICD_FILENAMES) wins.
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_DRIVER_FILES === undefined && process.env.VK_ICD_FILENAMES === undefined && existsSync(swiftshader)) {
  process.env.VK_ICD_FILENAMES = swiftshader;
}
const found = await probeAdapter();
const required = (process.env.CNNKIT_REQUIRE_BACKENDS ?? '').split(',').includes('webgpu');
if (!found.available && !required) {
  // Reported, not silent; CI sets CNNKIT_REQUIRE_BACKENDS=webgpu, where this fails instead.
  console.warn(`layers on webgpu: skipped, webgpu is unavailable here: ${found.reason}`);
}

const config = cnnkitVitestConfig({
  test: {
    passWithNoTests: !found.available && !required,
    env: { CNNKIT_TEST_BACKEND: 'webgpu', ...(process.env.VK_ICD_FILENAMES ? { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES } : {}) },
  },
});
// Replaced, not merged: mergeConfig would append these to the shared include list.
config.test!.include = found.available || required ? files : [];
export default config;
