import { ShapeError } from '@cnnkit/tensor-core';

/** A symbolic shape: `null` is a size known only at run time (the batch). */
export type Shape = readonly (number | null)[];

/**
 * `[null, 32, 32, 3]` → `(None, 32, 32, 3)`, the way Keras prints shapes.
 *
 * @example
 * ```ts
 * formatKerasShape([null, 128]); // "(None, 128)"
 * ```
 */
export function formatKerasShape(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Padding names shared by the convolution and pooling layers. */
export type Padding = 'valid' | 'same';

/**
 * Output length of a convolution or pooling window along one axis, as TensorFlow
 * computes it: `same` keeps ceil(n / stride); `valid` keeps the full windows only.
 * Returns null for an unknown input length.
 *
 * @example
 * ```ts
 * convOutputLength(7, 3, 'same', 2); // 4
 * convOutputLength(7, 3, 'valid', 2); // 3
 * ```
 */
export function convOutputLength(
  length: number | null,
  kernel: number,
  padding: Padding,
  stride: number,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const effective = (kernel - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(length / stride) : Math.floor((length - effective) / stride) + 1;
}

/**
 * Output length of a transposed convolution (Keras `deconv_output_length` without output padding).
 *
 * @example
 * ```ts
 * deconvOutputLength(5, 3, 'valid', 2); // 11
 * ```
 */
export function deconvOutputLength(
  length: number | null,
  kernel: number,
  padding: Padding,
  stride: number,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const effective = (kernel - 1) * dilation + 1;
  return padding === 'same' ? length * stride : (length - 1) * stride + effective;
}

/**
 * Checks that a layer received a rank-4 NHWC input whose spatial sizes are known,
 * and returns it typed. The message names the layer and both shapes.
 */
export function expectImage(layer: string, shape: Shape): [number | null, number, number, number] {
  if (shape.length !== 4) {
    throw new ShapeError(
      `${layer}: expected a rank-4 input (batch, height, width, channels), received rank ${shape.length} with shape ${formatKerasShape(shape)}`,
    );
  }
  const [n, h, w, c] = shape;
  if (h === null || w === null || c === null) {
    throw new ShapeError(`${layer}: expected known height, width and channels, received ${formatKerasShape(shape)}`);
  }
  return [n, h, w, c];
}

/** The number of elements of a fully known shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
