export { EXPORT_LAYER_CLASSES, type ExportLayer, type ExportLayerClass, type ExportModel, type ExportWeight } from './export-model.js';
export {
  DEFAULT_OPSET,
  exportOnnx,
  MAX_OPSET,
  MIN_OPSET,
  ONNX_BATCH_DIM,
  ONNX_INPUT_NAME,
  ONNX_OUTPUT_NAME,
  type ExportOnnxOptions,
} from './export-onnx.js';
export { ACTIVATIONS, type ActivationName } from './activation.js';
export { verifyOnnx, type ReferenceFn, type VerifyInput, type VerifyOnnxOptions, type VerifyOnnxResult } from './verify-onnx.js';
export { writeOnnx } from './write-onnx.js';
export {
  exportAndVerify,
  exportDescription,
  exportModel,
  verifyExport,
  type ExportModelOptions,
  type VerifyExportOptions,
  type VerifyExportResult,
} from './export-model-from-layers.js';
