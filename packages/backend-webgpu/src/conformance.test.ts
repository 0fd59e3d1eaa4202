import { describeConformance } from '@cnnkit/conformance';
import { webgpuBackend } from './webgpu-backend.js';

describeConformance(webgpuBackend());
