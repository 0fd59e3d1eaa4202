export { cpuBackend } from './cpu-backend.js';
