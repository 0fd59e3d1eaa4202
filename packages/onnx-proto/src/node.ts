import { create } from '@bufbuild/protobuf';
import { NodeProtoSchema, type AttributeProto, type NodeProto } from 'onnx-buf';

export interface NodeOptions {
  /** The node's own name (ONNX wants it unique in the graph; optional in the format). */
  readonly name?: string;
  readonly attributes?: readonly AttributeProto[];
  /**
   * The operator set the op comes from: '' (the default) is ONNX's own; any other
   * domain must be imported by the model (see `serializeModel`'s `domains`).
   */
  readonly domain?: string;
}

/**
 * One graph node. The domain is written only when it is not ONNX's own, so a
 * default-domain node is the same bytes as one built without a domain.
 *
 * @example
 * nodeProto('Relu', ['x'], ['y'], { name: 'y__Relu' });
 * nodeProto('ReorderInput', ['x'], ['xc'], { domain: 'com.microsoft.nchwc', attributes: [attr.int('channels_last', 0)] });
 */
export function nodeProto(opType: string, inputs: readonly string[], outputs: readonly string[], options: NodeOptions = {}): NodeProto {
  const { name, attributes = [], domain = '' } = options;
  return create(NodeProtoSchema, {
    opType,
    ...(name === undefined ? {} : { name }),
    ...(domain === '' ? {} : { domain }),
    input: [...inputs],
    output: [...outputs],
    attribute: [...attributes],
  });
}
