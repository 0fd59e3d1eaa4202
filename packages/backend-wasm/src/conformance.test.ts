import { describeConformance } from '@cnnkit/conformance';
import { wasmBackend } from './wasm-backend.js';

describeConformance(wasmBackend());
