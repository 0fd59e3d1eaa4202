import { create, toBinary } from '@bufbuild/protobuf';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

/** The lowest IR version that carries each default-domain opset (onnx's VERSION_TABLE), so older checkers accept the file. */
export function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/** The parts of a graph, in ONNX's order: nodes topologically sorted, initializers, inputs, outputs. */
export interface GraphParts {
  readonly name: string;
  readonly nodes: readonly NodeProto[];
  readonly initializers: readonly TensorProto[];
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly ValueInfoProto[];
}

export interface ModelOptions {
  readonly graph: GraphParts;
  /** Version of ONNX's own operator set (domain ''). */
  readonly opset: number;
  /** Other operator sets the nodes use, domain to version (e.g. `{ 'com.microsoft.nchwc': 1 }`). */
  readonly domains?: Readonly<Record<string, number>>;
  /** Default: the lowest IR version that carries `opset` (`irVersionFor`). */
  readonly irVersion?: number;
  readonly producerName: string;
  readonly producerVersion: string;
  /** `metadata_props`, written in key order as given. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Serializes a whole model: the graph, its opset imports (ONNX's own at `opset`,
 * then each other domain), IR version, producer and metadata.
 *
 * @example
 * const bytes = serializeModel({
 *   graph: { name: 'g', nodes: [nodeProto('Relu', ['x'], ['y'])], initializers: [], inputs: [valueInfo('x', ['N', 4])], outputs: [valueInfo('y', ['N', 4])] },
 *   opset: 17,
 *   producerName: 'cnnkit',
 *   producerVersion: '0.1.0',
 * });
 * await ort.InferenceSession.create(bytes);
 */
export function serializeModel(options: ModelOptions): Uint8Array {
  const { graph, opset, domains = {}, metadata = {} } = options;
  if ('' in domains) throw new RangeError(`serializeModel: domains lists the other operator sets; ONNX's own ('') is set by opset, received domains ${JSON.stringify(domains)}`);
  const proto = create(ModelProtoSchema, {
    irVersion: BigInt(options.irVersion ?? irVersionFor(opset)),
    opsetImport: [
      create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) }),
      ...Object.entries(domains).map(([domain, version]) => create(OperatorSetIdProtoSchema, { domain, version: BigInt(version) })),
    ],
    producerName: options.producerName,
    producerVersion: options.producerVersion,
    metadataProps: Object.entries(metadata).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
    graph: create(GraphProtoSchema, {
      name: graph.name,
      node: [...graph.nodes],
      initializer: [...graph.initializers],
      input: [...graph.inputs],
      output: [...graph.outputs],
    }),
  });
  return toBinary(ModelProtoSchema, proto);
}
