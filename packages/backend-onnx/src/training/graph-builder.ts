import {
  float32Tensor,
  int64Tensor,
  nodeProto,
  serializeModel,
  UniqueNames,
  valueInfo,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '@cnnkit/onnx-proto';

// The lowerings import `attr` from here, next to the builder they use it with.
export { attr } from '@cnnkit/onnx-proto';

/** The opset the training graph is written in (every op used exists unchanged in 17). */
export const TRAINING_OPSET = 17;

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
  readonly #names = new UniqueNames();
  readonly #scalars = new Map<string, string>();
  /** Operator domains besides the default one that nodes use (each imported at version 1). */
  readonly #domains = new Set<string>();

  /** A unique tensor/node name derived from `base` (ONNX names are graph-wide). */
  uniqueName(base: string): string {
    return this.#names.take(base);
  }

  /** One node with a single output; returns the output's name. `domain` '' is ONNX's own operator set. */
  op(opType: string, inputs: readonly string[], base: string, attributes: AttributeProto[] = [], domain = ''): string {
    return this.opN(opType, inputs, [base], attributes, domain)[0];
  }

  /** One node with several outputs (MaxPool with Indices). */
  opN(opType: string, inputs: readonly string[], bases: readonly string[], attributes: AttributeProto[] = [], domain = ''): string[] {
    const outputs = bases.map((b) => this.uniqueName(b));
    if (domain !== '') this.#domains.add(domain);
    this.nodes.push(nodeProto(opType, inputs, outputs, { name: this.uniqueName(`${outputs[0]}__${opType}`), attributes, domain }));
    return outputs;
  }

  /** A float32 constant. */
  constant(base: string, shape: readonly number[], values: ArrayLike<number>): string {
    const name = this.uniqueName(base);
    this.initializers.push(float32Tensor(name, shape, values));
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
    this.initializers.push(int64Tensor(name, values));
    return name;
  }

  /** Declares a float32 graph input of a fixed shape; returns its name (exactly `name`). */
  input(name: string, shape: readonly number[]): string {
    this.#claim('input', name);
    this.inputs.push(valueInfo(name, shape));
    return name;
  }

  /** Exposes `value` as a graph output called `name` (an Identity gives it the contract name). */
  output(value: string, name: string, shape: readonly number[]): void {
    this.#claim('output', name);
    this.nodes.push(nodeProto('Identity', [value], [name], { name: this.uniqueName(`${name}__Identity`) }));
    this.outputs.push(valueInfo(name, shape));
  }

  /** The serialized model: opset 17 (so IR 8, the lowest that carries it), plus version 1 of any other domain used. */
  toBytes(graphName: string): Uint8Array {
    return serializeModel({
      graph: { name: graphName, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs },
      opset: TRAINING_OPSET,
      domains: Object.fromEntries([...this.#domains].map((domain) => [domain, 1])),
      producerName: 'cnnkit-ort-training',
      producerVersion: '0.1.0',
    });
  }

  #claim(what: 'input' | 'output', name: string): void {
    if (this.#names.has(name)) throw new RangeError(`GraphBuilder.${what}: name "${name}" is already taken`);
    this.#names.reserve(name);
  }
}
