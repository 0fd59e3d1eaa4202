import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

/** The opset the training graph is written in (every op used exists unchanged in 17). */
export const TRAINING_OPSET = 17;

/** Attributes carry their ONNX type explicitly: a JS number cannot tell int from float. */
export const attr = {
  int(name: string, i: number): AttributeProto {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(i) });
  },
  ints(name: string, ints: readonly number[]): AttributeProto {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: ints.map(BigInt) });
  },
  float(name: string, f: number): AttributeProto {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f });
  },
  string(name: string, s: string): AttributeProto {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode(s) });
  },
};

function valueInfo(name: string, dims: readonly number[], elemType: TensorProto_DataType): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType,
          shape: create(TensorShapeProtoSchema, {
            dim: dims.map((d) => create(TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(d) } })),
          }),
        }),
      },
    }),
  });
}

/** Little-endian bytes regardless of the host, as ONNX raw_data requires. */
function float32Bytes(values: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

function int64Bytes(values: readonly number[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]), true);
  return out;
}

/**
 * Accumulates a fixed-shape ONNX graph: nodes in emission order (every node reads
 * names already produced, so the list is topologically sorted), constant
 * initializers, graph inputs and outputs. Shapes are all static: the training
 * graph bakes in the batch size so onnxruntime can plan every buffer once.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  readonly #used = new Set<string>();
  readonly #scalars = new Map<string, string>();
  /** Operator domains besides the default one that nodes use (each imported at version 1). */
  readonly #domains = new Set<string>();

  /** A unique tensor/node name derived from `base` (ONNX names are graph-wide). */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.#used.has(name); i++) name = `${base}_${i}`;
    this.#used.add(name);
    return name;
  }

  /** One node with a single output; returns the output's name. `domain` '' is ONNX's own operator set. */
  op(opType: string, inputs: readonly string[], base: string, attributes: AttributeProto[] = [], domain = ''): string {
    return this.opN(opType, inputs, [base], attributes, domain)[0];
  }

  /** One node with several outputs (MaxPool with Indices). */
  opN(opType: string, inputs: readonly string[], bases: readonly string[], attributes: AttributeProto[] = [], domain = ''): string[] {
    const outputs = bases.map((b) => this.uniqueName(b));
    if (domain !== '') this.#domains.add(domain);
    this.nodes.push(
      create(NodeProtoSchema, { opType, domain, name: this.uniqueName(`${outputs[0]}__${opType}`), input: [...inputs], output: outputs, attribute: attributes }),
    );
    return outputs;
  }

  /** A float32 constant. */
  constant(base: string, shape: readonly number[], values: ArrayLike<number>): string {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== values.length) {
      throw new RangeError(`GraphBuilder.constant: "${base}" expected ${count} values for shape [${shape.join(', ')}], received ${values.length}`);
    }
    const name = this.uniqueName(base);
    this.initializers.push(create(TensorProtoSchema, { name, dataType: TensorProto_DataType.FLOAT, dims: shape.map(BigInt), rawData: float32Bytes(values) }));
    return name;
  }

  /** A float32 scalar constant, shared by every reader of the same value. */
  scalar(value: number): string {
    const key = String(Math.fround(value));
    let name = this.#scalars.get(key);
    if (name === undefined) {
      name = this.constant('c', [], [value]);
      this.#scalars.set(key, name);
    }
    return name;
  }

  /** A 1-D int64 constant (shapes, axes). */
  int64(base: string, values: readonly number[]): string {
    const name = this.uniqueName(base);
    this.initializers.push(create(TensorProtoSchema, { name, dataType: TensorProto_DataType.INT64, dims: [BigInt(values.length)], rawData: int64Bytes(values) }));
    return name;
  }

  /** Declares a float32 graph input of a fixed shape; returns its name (exactly `name`). */
  input(name: string, shape: readonly number[]): string {
    if (this.#used.has(name)) throw new RangeError(`GraphBuilder.input: name "${name}" is already taken`);
    this.#used.add(name);
    this.inputs.push(valueInfo(name, shape, TensorProto_DataType.FLOAT));
    return name;
  }

  /** Exposes `value` as a graph output called `name` (an Identity gives it the contract name). */
  output(value: string, name: string, shape: readonly number[]): void {
    if (this.#used.has(name)) throw new RangeError(`GraphBuilder.output: name "${name}" is already taken`);
    this.#used.add(name);
    this.nodes.push(create(NodeProtoSchema, { opType: 'Identity', name: this.uniqueName(`${name}__Identity`), input: [value], output: [name] }));
    this.outputs.push(valueInfo(name, shape, TensorProto_DataType.FLOAT));
  }

  /** The serialized model (IR 8, opset 17, plus version 1 of any other domain used). */
  toBytes(graphName: string): Uint8Array {
    const proto = create(ModelProtoSchema, {
      irVersion: 8n,
      opsetImport: [
        create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(TRAINING_OPSET) }),
        ...[...this.#domains].map((domain) => create(OperatorSetIdProtoSchema, { domain, version: 1n })),
      ],
      producerName: 'cnnkit-ort-training',
      producerVersion: '0.1.0',
      graph: create(GraphProtoSchema, { name: graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs }),
    });
    return toBinary(ModelProtoSchema, proto);
  }
}
