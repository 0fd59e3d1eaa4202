import { float32Tensor, int64Tensor, nodeProto, UniqueNames, type AttributeProto, type NodeProto, type TensorProto } from '@cnnkit/onnx-proto';

/**
 * Where a value's channels are. Keras tensors are NHWC; inside the graph we keep
 * 4-D tensors NCHW (what ONNX Conv/Pool/Resize/BatchNormalization want) and only
 * transpose back where NHWC order is observable (Flatten, Dense on 4-D, outputs).
 * `flat` is any tensor that is not 4-D: its layout equals Keras's.
 */
export type Layout = 'NHWC' | 'NCHW' | 'flat';

/** A tensor in the graph: its ONNX name, its Keras shape without the batch dim, and its layout. */
export interface Value {
  readonly name: string;
  readonly shape: readonly number[];
  readonly layout: Layout;
}

/**
 * Accumulates nodes and initializers in emission order. Emitters run in
 * topological order and every node only reads names already produced, so the
 * node list comes out topologically sorted as onnx.checker requires.
 */
export class OnnxGraph {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly #names = new UniqueNames();

  /** Reserves a unique tensor/node name derived from `base` (ONNX names must be unique graph-wide). */
  uniqueName(base: string): string {
    return this.#names.take(base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 't');
  }

  /** Marks an externally fixed name (graph input) as taken. */
  reserve(name: string): void {
    this.#names.reserve(name);
  }

  /** Adds one node with a single output named after `base`; returns the output name. */
  node(opType: string, inputs: readonly string[], base: string, attributes: AttributeProto[] = []): string {
    const output = this.uniqueName(base);
    this.nodes.push(nodeProto(opType, inputs, [output], { name: this.uniqueName(`${output}__${opType}`), attributes }));
    return output;
  }

  /** A float32 initializer; returns its name. */
  float(base: string, shape: readonly number[], values: Float32Array): string {
    const name = this.uniqueName(base);
    this.initializers.push(float32Tensor(name, shape, values));
    return name;
  }

  /** A 1-D int64 initializer (shapes, scales indices, axes). */
  int64(base: string, values: readonly number[]): string {
    const name = this.uniqueName(base);
    this.initializers.push(int64Tensor(name, values));
    return name;
  }

  /** Renames a produced tensor everywhere it appears (used to give the output its contract name). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.input = n.input.map((x) => (x === from ? to : x));
      n.output = n.output.map((x) => (x === from ? to : x));
    }
    this.#names.reserve(to);
  }
}
