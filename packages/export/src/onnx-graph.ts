import { create } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  NodeProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';

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

// Attributes carry their ONNX type explicitly: a JS number cannot tell int from float.
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

/** Little-endian bytes regardless of the host, as ONNX raw_data requires. */
function float32Bytes(values: Float32Array): Uint8Array<ArrayBuffer> {
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
 * Accumulates nodes and initializers in emission order. Emitters run in
 * topological order and every node only reads names already produced, so the
 * node list comes out topologically sorted as onnx.checker requires.
 */
export class OnnxGraph {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly #used = new Set<string>();

  /** Reserves a unique tensor/node name derived from `base` (ONNX names must be unique graph-wide). */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 't';
    let name = clean;
    for (let i = 1; this.#used.has(name); i++) name = `${clean}_${i}`;
    this.#used.add(name);
    return name;
  }

  /** Marks an externally fixed name (graph input) as taken. */
  reserve(name: string): void {
    this.#used.add(name);
  }

  /** Adds one node with a single output named after `base`; returns the output name. */
  node(opType: string, inputs: readonly string[], base: string, attributes: AttributeProto[] = []): string {
    const output = this.uniqueName(base);
    this.nodes.push(
      create(NodeProtoSchema, {
        opType,
        name: this.uniqueName(`${output}__${opType}`),
        input: [...inputs],
        output: [output],
        attribute: attributes,
      }),
    );
    return output;
  }

  /** A float32 initializer; returns its name. */
  float(base: string, shape: readonly number[], values: Float32Array): string {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== values.length) {
      throw new RangeError(`OnnxGraph.float: initializer "${base}" expected ${count} values for shape [${shape.join(', ')}], received ${values.length}`);
    }
    const name = this.uniqueName(base);
    this.initializers.push(
      create(TensorProtoSchema, {
        name,
        dataType: TensorProto_DataType.FLOAT,
        dims: shape.map(BigInt),
        rawData: float32Bytes(values),
      }),
    );
    return name;
  }

  /** A 1-D int64 initializer (shapes, scales indices, axes). */
  int64(base: string, values: readonly number[]): string {
    const name = this.uniqueName(base);
    this.initializers.push(
      create(TensorProtoSchema, {
        name,
        dataType: TensorProto_DataType.INT64,
        dims: [BigInt(values.length)],
        rawData: int64Bytes(values),
      }),
    );
    return name;
  }

  /** Renames a produced tensor everywhere it appears (used to give the output its contract name). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.input = n.input.map((x) => (x === from ? to : x));
      n.output = n.output.map((x) => (x === from ? to : x));
    }
    this.#used.add(to);
  }
}

/** Permutes a row-major array of `shape` by `perm` (like numpy.transpose). */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  const permStrides = perm.map((p) => inStrides[p]);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * permStrides[d];
    out[o] = values[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}
