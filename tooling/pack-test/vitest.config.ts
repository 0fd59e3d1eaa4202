import { cnnkitVitestConfig } from '@cnnkit/vitest-config';

// globalSetup packs and installs once for every test file (see src/global-setup.ts).
export default cnnkitVitestConfig({ test: { testTimeout: 300_000, hookTimeout: 600_000, globalSetup: ['src/global-setup.ts'] } });
