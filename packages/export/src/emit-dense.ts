import { emitActivation, readActivation } from './activation.js';
import { readBool, readInt, readWeight } from './config.js';
import type { Emitter } from './emit-context.js';

/**
 * Dense -> Gemm on [N, in] inputs; on higher-rank inputs Keras applies the
 * kernel to the last axis, so the input goes back to NHWC and uses MatMul + Add.
 */
export const emitDense: Emitter = (ctx, layer, [input]) => {
  const units = readInt(layer, 'units');
  const useBias = readBool(layer, 'useBias', true);
  const x = ctx.toNHWC(input);
  const inUnits = x.shape[x.shape.length - 1];
  const kernel = readWeight(layer, 'kernel', [inUnits, units]);
  const g = ctx.graph;
  const k = g.float(`${layer.name}_kernel`, kernel.shape, kernel.values);
  const b = useBias ? g.float(`${layer.name}_bias`, [units], readWeight(layer, 'bias', [units]).values) : null;
  const shape = [...x.shape.slice(0, -1), units];
  let y: string;
  if (x.shape.length === 1) {
    y = g.node('Gemm', b ? [x.name, k, b] : [x.name, k], layer.name);
  } else {
    const m = g.node('MatMul', [x.name, k], b ? `${layer.name}_matmul` : layer.name);
    y = b ? g.node('Add', [m, b], layer.name) : m;
  }
  return emitActivation(ctx, { name: y, shape, layout: x.layout }, readActivation(layer), `${layer.name}_act`);
};
