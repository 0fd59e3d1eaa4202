import { permute } from '@cnnkit/onnx-proto';
import { graphShapeOf, type ParamLayout } from './lowering.js';

/** A Keras-ordered weight in the graph's order (conv kernels HWIO → OIHW; depthwise `[kh, kw, C, M]` → `[C*M, 1, kh, kw]`). */
export function toGraphLayout(values: ArrayLike<number>, kerasShape: readonly number[], layout: ParamLayout): Float32Array {
  switch (layout) {
    case 'same':
      return Float32Array.from(values);
    case 'hwio-to-oihw':
      return permute(values, kerasShape, [3, 2, 0, 1]).values;
    case 'depthwise':
      // [kh, kw, C, M] → [C, M, kh, kw], which is [C*M, 1, kh, kw] in memory.
      return permute(values, kerasShape, [2, 3, 0, 1]).values;
    default: {
      const never: never = layout;
      throw new RangeError(`toGraphLayout: unknown layout ${String(never)}`);
    }
  }
}

/** A graph-ordered weight back in Keras's order; `kerasShape` is the weight's Keras shape. */
export function toKerasLayout(values: ArrayLike<number>, kerasShape: readonly number[], layout: ParamLayout): Float32Array {
  switch (layout) {
    case 'same':
      return Float32Array.from(values);
    case 'hwio-to-oihw':
      return permute(values, graphShapeOf(kerasShape, layout), [2, 3, 1, 0]).values;
    case 'depthwise': {
      const [kh, kw, c, m] = kerasShape;
      return permute(values, [c, m, kh, kw], [2, 3, 0, 1]).values;
    }
    default: {
      const never: never = layout;
      throw new RangeError(`toKerasLayout: unknown layout ${String(never)}`);
    }
  }
}
