import { cnnkitVitestConfig, webgpuTestEnv } from '@cnnkit/vitest-config';

export default cnnkitVitestConfig({ test: { env: webgpuTestEnv() } });
