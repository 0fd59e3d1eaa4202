// `@cnnkit/backend-onnx/training`: the ORT training engine's full API (needs @cnnkit/layers).
export { compileTrainingGraph, ORT_TRAINABLE_LAYERS, type SlotSpec, type TrainingGraph, type TrainingGraphOptions } from './compile-training-graph.js';
export { createOrtTrainer, OrtTrainer, type OrtTrainerOptions, type StepInput } from './ort-trainer.js';
export { benchOrtTraining, type BenchOrtTrainingOptions, type BenchResult } from './bench-ort-training.js';
export { ortTrainingSupport, type OrtTrainingSupport } from './capability.js';
export { probeNchwcBlock } from './nchwc.js';
