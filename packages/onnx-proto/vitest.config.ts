import { cnnkitVitestConfig } from '@cnnkit/vitest-config';

export default cnnkitVitestConfig();
