export { float32Bytes, int64Bytes } from './bytes.js';
export { attr } from './attr.js';
export { valueInfo } from './value-info.js';
export { float32Tensor, int64Tensor } from './tensor.js';
export { nodeProto, type NodeOptions } from './node.js';
export { irVersionFor, serializeModel, type GraphParts, type ModelOptions } from './model.js';
export { permute } from './permute.js';
export { UniqueNames } from './unique-names.js';
// The protobuf types these build, so a user types its arrays without importing onnx-buf.
export { TensorProto_DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from 'onnx-buf';
