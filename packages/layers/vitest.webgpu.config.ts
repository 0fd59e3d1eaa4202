import { probeAdapter } from '@cnnkit/backend-webgpu';
import { cnnkitVitestConfig, webgpuTestEnv } from '@cnnkit/vitest-config';

// The suites that train, save, load and resume, run again on webgpu (small models:
// SwiftShader emulates the GPU on the CPU). Reads in them are asynchronous: WebGPU has no
// synchronous read-back in Node.
const files = ['src/training/trainer.test.ts', 'src/io/*.test.ts'];

const env = webgpuTestEnv();
Object.assign(process.env, env); // the probe below runs in this process's environment
const found = await probeAdapter();
const required = (process.env.CNNKIT_REQUIRE_BACKENDS ?? '').split(',').includes('webgpu');
if (!found.available && !required) {
  // Reported, not silent; CI sets CNNKIT_REQUIRE_BACKENDS=webgpu, where this fails instead.
  console.warn(`layers on webgpu: skipped, webgpu is unavailable here: ${found.reason}`);
}

const config = cnnkitVitestConfig({
  test: { passWithNoTests: !found.available && !required, env: { ...env, CNNKIT_TEST_BACKEND: 'webgpu' } },
});
// Replaced, not merged: mergeConfig would append these to the shared include list.
config.test!.include = found.available || required ? files : [];
export default config;
