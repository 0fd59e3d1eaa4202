import { attr } from '@cnnkit/onnx-proto';
import { CnnkitError } from '@cnnkit/tensor-core';
import type { EmitContext } from './emit-context.js';
import type { ExportLayer } from './export-model.js';
import type { Value } from './onnx-graph.js';

/** Keras activation names the exporter writes (plus `null`/`undefined` meaning linear). */
export const ACTIVATIONS = ['linear', 'relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'sigmoid', 'softmax', 'tanh', 'gelu', 'swish', 'silu', 'softplus'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Keras 3's default negative slope for the `leaky_relu` activation. */
export const KERAS_LEAKY_RELU_SLOPE = 0.2;

/** Reads `config[key]` as an activation name; absent or null is linear. */
export function readActivation(layer: ExportLayer, key = 'activation'): ActivationName {
  const v = layer.config[key] ?? 'linear';
  if (typeof v !== 'string' || !(ACTIVATIONS as readonly string[]).includes(v)) {
    throw new CnnkitError(
      'EXPORT_UNSUPPORTED',
      `ONNX export of layer "${layer.name}" (${layer.className}): activation expected one of ${ACTIVATIONS.join(', ')}, received ${JSON.stringify(v)}`,
    );
  }
  return v as ActivationName;
}

/**
 * Applies a Keras activation to `value` (any layout). Elementwise ones keep the
 * layout; softmax runs over Keras's last axis, which is axis 1 in NCHW.
 */
export function emitActivation(ctx: EmitContext, value: Value, activation: ActivationName, base: string, negativeSlope = KERAS_LEAKY_RELU_SLOPE): Value {
  const g = ctx.graph;
  const unary = (op: string, attributes = [] as ReturnType<typeof attr.int>[]): Value => ({ ...value, name: g.node(op, [value.name], base, attributes) });
  switch (activation) {
    case 'linear':
      return value;
    case 'relu':
      return unary('Relu');
    case 'relu6': {
      // Clip takes min/max as inputs since opset 11.
      const lo = g.float(`${base}_min`, [], new Float32Array([0]));
      const hi = g.float(`${base}_max`, [], new Float32Array([6]));
      return { ...value, name: g.node('Clip', [value.name, lo, hi], base) };
    }
    case 'leaky_relu':
      return unary('LeakyRelu', [attr.float('alpha', negativeSlope)]);
    case 'elu':
      return unary('Elu', [attr.float('alpha', 1)]);
    case 'selu':
      // Keras's constants; ONNX's defaults are the same numbers rounded to float32.
      return unary('Selu', [attr.float('alpha', 1.6732632423543772), attr.float('gamma', 1.0507009873554805)]);
    case 'sigmoid':
      return unary('Sigmoid');
    case 'tanh':
      return unary('Tanh');
    case 'softplus':
      return unary('Softplus');
    case 'softmax': {
      const axis = value.layout === 'NCHW' ? 1 : -1;
      return unary('Softmax', [attr.int('axis', axis)]);
    }
    case 'swish':
    case 'silu': {
      const s = g.node('Sigmoid', [value.name], `${base}_sigmoid`);
      return { ...value, name: g.node('Mul', [value.name, s], base) };
    }
    case 'gelu': {
      // Keras's `gelu` activation is the exact erf form (approximate=False).
      if (ctx.opset >= 20) return unary('Gelu', [attr.string('approximate', 'none')]);
      const invSqrt2 = g.float(`${base}_inv_sqrt2`, [], new Float32Array([Math.SQRT1_2]));
      const one = g.float(`${base}_one`, [], new Float32Array([1]));
      const half = g.float(`${base}_half`, [], new Float32Array([0.5]));
      const scaled = g.node('Mul', [value.name, invSqrt2], `${base}_scaled`);
      const erf = g.node('Erf', [scaled], `${base}_erf`);
      const onePlus = g.node('Add', [erf, one], `${base}_one_plus`);
      const xHalf = g.node('Mul', [value.name, half], `${base}_half_x`);
      return { ...value, name: g.node('Mul', [xHalf, onePlus], base) };
    }
    default: {
      const unreachable: never = activation;
      throw new Error(`emitActivation: unhandled activation ${String(unreachable)}`);
    }
  }
}
