import { cnnkitSlowVitestConfig } from '@cnnkit/vitest-config';

export default cnnkitSlowVitestConfig();
