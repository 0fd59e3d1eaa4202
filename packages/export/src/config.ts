import { CnnkitError } from '@cnnkit/tensor-core';
import type { ExportLayer, ExportWeight } from './export-model.js';

/** Errors from reading a layer's description name the layer, its class, the key, what was expected and what came. */
function configError(layer: ExportLayer, key: string, expected: string, received: unknown): CnnkitError {
  return new CnnkitError(
    'EXPORT_CONFIG',
    `ONNX export of layer "${layer.name}" (${layer.className}): config.${key} expected ${expected}, received ${JSON.stringify(received)}`,
  );
}

/** A positive integer, or the Keras default when the key is absent or null. */
export function readInt(layer: ExportLayer, key: string, fallback?: number): number {
  const v = layer.config[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw configError(layer, key, 'a positive integer', v);
  return v;
}

/** A Keras (int, int) tuple given as a number or a pair; the fallback is the Keras default (pooling passes poolSize for strides). */
export function readPair(layer: ExportLayer, key: string, fallback: number | [number, number] | undefined): [number, number] {
  const v = layer.config[key] ?? fallback;
  const pair = typeof v === 'number' ? [v, v] : v;
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 1)
  ) {
    throw configError(layer, key, 'a positive integer or a pair of them', v);
  }
  return [pair[0], pair[1]];
}

export function readNumber(layer: ExportLayer, key: string, fallback: number): number {
  const v = layer.config[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw configError(layer, key, 'a finite number', v);
  return v;
}

export function readBool(layer: ExportLayer, key: string, fallback: boolean): boolean {
  const v = layer.config[key] ?? fallback;
  if (typeof v !== 'boolean') throw configError(layer, key, 'a boolean', v);
  return v;
}

export function readEnum<T extends string>(layer: ExportLayer, key: string, allowed: readonly T[], fallback: T): T {
  const v = layer.config[key] ?? fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw configError(layer, key, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, v);
  }
  return v as T;
}

/** Only channels_last is modelled: the exporter's input contract is NHWC. */
export function assertChannelsLast(layer: ExportLayer): void {
  readEnum(layer, 'dataFormat', ['channels_last'], 'channels_last');
}

/** A weight with the exact expected shape; throws naming the layer, weight, expected and received shapes. */
export function readWeight(layer: ExportLayer, key: string, expectedShape: readonly number[]): ExportWeight {
  const w = layer.weights[key];
  const available = Object.keys(layer.weights);
  if (w === undefined) {
    throw new CnnkitError(
      'EXPORT_WEIGHTS',
      `ONNX export of layer "${layer.name}" (${layer.className}): weight "${key}" of shape [${expectedShape.join(', ')}] is missing; weights present: ${available.length > 0 ? available.join(', ') : 'none'}`,
    );
  }
  const count = expectedShape.reduce((a, b) => a * b, 1);
  if (w.shape.length !== expectedShape.length || w.shape.some((d, i) => d !== expectedShape[i]) || w.values.length !== count) {
    throw new CnnkitError(
      'EXPORT_WEIGHTS',
      `ONNX export of layer "${layer.name}" (${layer.className}): weight "${key}" expected shape [${expectedShape.join(', ')}] (${count} values), received shape [${w.shape.join(', ')}] with ${w.values.length} values`,
    );
  }
  return w;
}

/** Image layers need a 4-D [N, H, W, C] input; anything else is a modelling error worth naming. */
export function assertImageInput(layer: ExportLayer, shape: readonly number[]): void {
  if (shape.length !== 3) {
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (${layer.className}): expected a 4-D input [N, H, W, C], received [N, ${shape.join(', ')}]`,
    );
  }
}

/** A "valid" window larger than the input leaves nothing; Keras would fail at build time too. */
export function assertPositiveOutput(layer: ExportLayer, size: readonly number[], out: readonly number[]): void {
  if (out.some((d) => d < 1)) {
    throw new CnnkitError(
      'EXPORT_CONFIG',
      `ONNX export of layer "${layer.name}" (${layer.className}): expected a window that fits the input ${size.join('x')}, received one that leaves an output of ${out.join('x')}`,
    );
  }
}

/** The window options every convolution layer has (Keras names and defaults). */
export function readConvWindow(layer: ExportLayer): {
  kernelSize: [number, number];
  strides: [number, number];
  dilations: [number, number];
  padding: 'valid' | 'same';
  useBias: boolean;
} {
  return {
    kernelSize: readPair(layer, 'kernelSize', undefined),
    strides: readPair(layer, 'strides', 1),
    dilations: readPair(layer, 'dilationRate', 1),
    padding: readEnum(layer, 'padding', ['valid', 'same'], 'valid'),
    useBias: readBool(layer, 'useBias', true),
  };
}
