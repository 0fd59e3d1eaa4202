import { describeConformance } from '@cnnkit/conformance';
import { cudaBackend } from './cuda-backend.js';

// Runs the same suite as cpu and wasm wherever tfjs-node-gpu is installed; on a
// machine without it the suite reports one skipped test naming the reason.
describeConformance(cudaBackend());
