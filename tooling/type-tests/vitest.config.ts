import { cnnkitVitestConfig } from '@cnnkit/vitest-config';

export default cnnkitVitestConfig({ test: { testTimeout: 120_000 } });
