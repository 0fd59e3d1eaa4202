export { onnxBackend, ONNXRUNTIME_NODE, type OnnxBackendOptions } from './onnx-backend.js';
export { loadOnnxPredictor, type OnnxPredictor } from './load-onnx-predictor.js';
export { readOnnxMetadata } from './onnx-metadata.js';
export * from './training/entry.js';
