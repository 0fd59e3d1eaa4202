// The ORT training engine's public surface (re-exported by the package index).
export { compileTrainingGraph, ORT_TRAINABLE_LAYERS, type SlotSpec, type TrainingGraph, type TrainingGraphOptions } from './compile-training-graph.js';
export { createOrtTrainer, OrtTrainer, type OrtTrainerOptions, type StepInput } from './ort-trainer.js';
export { benchOrtTraining, type BenchOrtTrainingOptions, type BenchResult } from './bench-ort-training.js';
export { ortTrainingSupport, type OrtTrainingSupport } from './capability.js';
