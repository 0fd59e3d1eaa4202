export { main, UserError } from './cli.js';
export { listBackends, type BackendRow } from './commands/backends.js';
export { runBench, type BenchResult, type BenchOptions } from './commands/bench.js';
