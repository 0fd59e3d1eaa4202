import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';

/** Decodes an exported file back into its ModelProto (tests read names, shapes and nodes from it). */
export function readModelProto(bytes: Uint8Array): ModelProto {
  return fromBinary(ModelProtoSchema, bytes);
}
