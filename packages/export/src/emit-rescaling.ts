import { CnnkitError } from '@cnnkit/tensor-core';
import type { Emitter } from './emit-context.js';
import type { ExportLayer } from './export-model.js';

/** A Keras Rescaling factor: a scalar, or one value per channel (Keras's last axis). */
function readFactor(layer: ExportLayer, key: 'scale' | 'offset', fallback: number, channels: number): Float32Array {
  const v = layer.config[key] ?? fallback;
  if (typeof v === 'number' && Number.isFinite(v)) return new Float32Array([v]);
  if (Array.isArray(v) && v.length === channels && v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return new Float32Array(v as number[]);
  }
  throw new CnnkitError(
    'EXPORT_CONFIG',
    `ONNX export of layer "${layer.name}" (Rescaling): config.${key} expected a finite number or ${channels} of them (one per channel), received ${JSON.stringify(v)}`,
  );
}

/**
 * Rescaling -> Mul (+ Add when the offset is not 0), inside the graph: the
 * exported model takes raw 0..255 pixels. Per-channel factors broadcast over
 * the channel axis of whatever layout the tensor has.
 */
export const emitRescaling: Emitter = (ctx, layer, [input]) => {
  const channels = input.shape[input.shape.length - 1];
  const scale = readFactor(layer, 'scale', 1, channels);
  const offset = readFactor(layer, 'offset', 0, channels);
  const g = ctx.graph;
  const constShape = (values: Float32Array): number[] =>
    values.length === 1 ? [] : input.layout === 'NCHW' ? [values.length, 1, 1] : [values.length];
  const hasOffset = offset.some((o) => o !== 0);
  let y = g.node('Mul', [input.name, g.float(`${layer.name}_scale`, constShape(scale), scale)], hasOffset ? `${layer.name}_scaled` : layer.name);
  if (hasOffset) y = g.node('Add', [y, g.float(`${layer.name}_offset`, constShape(offset), offset)], layer.name);
  return { ...input, name: y };
};
