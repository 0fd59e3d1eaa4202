export { onnxBackend, ONNXRUNTIME_NODE, type OnnxBackendOptions } from './onnx-backend.js';
export { loadOnnxPredictor, type OnnxPredictor } from './load-onnx-predictor.js';
export { readOnnxMetadata } from './onnx-metadata.js';
export { compileTrainingGraph, ORT_TRAINABLE_LAYERS, type SlotSpec, type TrainingGraph, type TrainingGraphOptions } from './training/compile-training-graph.js';
export { createOrtTrainer, OrtTrainer, type OrtTrainerOptions, type StepInput } from './training/ort-trainer.js';
export { benchOrtTraining, type BenchOrtTrainingOptions, type BenchResult } from './training/bench-ort-training.js';
export { ortTrainingSupport, type OrtTrainingSupport } from './training/capability.js';
