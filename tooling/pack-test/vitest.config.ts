import { cnnkitVitestConfig } from '@cnnkit/vitest-config';

export default cnnkitVitestConfig({ test: { testTimeout: 300_000 } });
