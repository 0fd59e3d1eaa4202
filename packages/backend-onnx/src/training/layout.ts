import { permute } from '@cnnkit/onnx-proto';
import type { ParamLayout } from './lowering.js';

/** A Keras-ordered weight in the graph's order (conv kernels HWIO → OIHW). */
export function toGraphLayout(values: ArrayLike<number>, kerasShape: readonly number[], layout: ParamLayout): Float32Array {
  return layout === 'hwio-to-oihw' ? permute(values, kerasShape, [3, 2, 0, 1]).values : Float32Array.from(values);
}

/** A graph-ordered weight back in Keras's order (OIHW → HWIO). */
export function toKerasLayout(values: ArrayLike<number>, graphShape: readonly number[], layout: ParamLayout): Float32Array {
  return layout === 'hwio-to-oihw' ? permute(values, graphShape, [2, 3, 1, 0]).values : Float32Array.from(values);
}
