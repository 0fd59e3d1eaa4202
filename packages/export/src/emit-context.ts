import { attr } from '@cnnkit/onnx-proto';
import type { ExportLayer } from './export-model.js';
import type { OnnxGraph, Value } from './onnx-graph.js';

/** What every emitter gets: the graph being built, the opset, and layout conversions. */
export interface EmitContext {
  readonly graph: OnnxGraph;
  readonly opset: number;
  /** The same tensor with channels first (a Transpose, emitted at most once per tensor). */
  toNCHW(value: Value): Value;
  /** The same tensor in Keras's NHWC order (a Transpose, emitted at most once per tensor). */
  toNHWC(value: Value): Value;
}

/** Turns one layer into ONNX nodes, given its already-emitted inputs; returns its output. */
export type Emitter = (ctx: EmitContext, layer: ExportLayer, inputs: readonly Value[]) => Value;

/**
 * Layout conversion with a cache, so that a tensor read by several NCHW layers
 * (or by Flatten and a conv) is transposed once, not once per reader.
 */
export function createEmitContext(graph: OnnxGraph, opset: number): EmitContext {
  const cache = new Map<string, Value>();
  const convert = (value: Value, target: 'NCHW' | 'NHWC'): Value => {
    if (value.layout === 'flat' || value.layout === target) return value;
    const key = `${value.name}->${target}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const perm = target === 'NCHW' ? [0, 3, 1, 2] : [0, 2, 3, 1];
    const name = graph.node('Transpose', [value.name], `${value.name}_${target.toLowerCase()}`, [attr.ints('perm', perm)]);
    const out: Value = { name, shape: value.shape, layout: target };
    cache.set(key, out);
    // Going back to where we came from needs no node either.
    cache.set(`${name}->${value.layout}`, value);
    return out;
  };
  return {
    graph,
    opset,
    toNCHW: (v) => convert(v, 'NCHW'),
    toNHWC: (v) => convert(v, 'NHWC'),
  };
}
