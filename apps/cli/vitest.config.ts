import { cnnkitVitestConfig, webgpuTestEnv } from '@cnnkit/vitest-config';

// The webgpu CLI test (and `backends`) run on SwiftShader where there is no GPU.
export default cnnkitVitestConfig({ test: { env: webgpuTestEnv() } });
