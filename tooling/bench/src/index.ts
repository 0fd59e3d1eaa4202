export type { BenchOutcome, BenchResult, BenchTask, SkippedBench } from './bench-result.js';
export { ENGINE_IDS, isEngineId, type EngineId } from './engines.js';
export { runBenchmarks, type BenchReport, type RunBenchmarksOptions } from './run-benchmarks.js';
export { formatBenchTable } from './format-bench-table.js';
export { writeBenchJson } from './write-bench-json.js';
export { TARGETS, checkTargets, type TargetCheck, type TargetSpec } from './targets.js';
export { profileWasmTraining, formatProfile, type KernelTime, type WasmTrainingProfile } from './profile-wasm-training.js';
export { benchDataParallel, DATA_PARALLEL_ENGINE, DATA_PARALLEL_WORKERS, type DataParallelBenchOptions } from './data-parallel-engine.js';
