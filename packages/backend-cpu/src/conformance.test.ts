import { describeConformance } from '@cnnkit/conformance';
import { cpuBackend } from './cpu-backend.js';

describeConformance(cpuBackend());
