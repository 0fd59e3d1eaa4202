import { tf } from '@cnnkit/tensor-core';
import { FlatProgram, type WebgpuBackendLike } from './webgpu-program.js';
import { wrapKernel } from './wrap-kernel.js';

const AXES = ['x', 'y', 'z', 'w', 'u', 'v'];
// tfjs-webgpu's coordinate types: WGSL vectors up to 4, its own structs for 5 and 6.
const coordsType = (rank: number) => (rank <= 4 ? `vec${rank}<i32>` : `vec${rank}`);

/**
 * Transpose of int32 and bool tensors of rank 3 to 6. tfjs-webgpu's TransposeProgram
 * passes the i32 element to the f32 `setOutputAtIndex`, which WGSL rejects, so every
 * such transpose (the reductions over non-inner axes of a mask, e.g. the global
 * max-pool gradient) produced no values; this one writes through the i32 setter.
 */
class IntTransposeProgram extends FlatProgram {
  constructor(
    shape: readonly number[],
    private readonly perm: readonly number[],
  ) {
    super(perm.map((p) => shape[p]), `cnnkitIntTranspose_${perm.join(',')}`, ['A']);
  }

  getUserCode(): string {
    const rank = this.perm.length;
    // Output coordinate i walks input axis perm[i].
    const source = new Array<string>(rank);
    this.perm.forEach((p, i) => (source[p] = `coords.${AXES[i]}`));
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          setOutputAtIndexI32(index, A[getIndexFromCoords${rank}D(${coordsType(rank)}(${source.join(', ')}), uniforms.aShape)]);
        }
      }
    `;
  }
}

/** tfjs-webgpu's Transpose, with int32/bool of rank 3 to 6 through cnnkit's program. */
export const transposeKernel = wrapKernel(tf.Transpose, ({ inputs, backend, attrs }) => {
  const x = inputs.x as tf.TensorInfo;
  const perm = (attrs as unknown as tf.TransposeAttrs).perm;
  if (x.dtype === 'float32' || x.shape.length < 3 || x.shape.length > 6) return null;
  return (backend as WebgpuBackendLike).runWebGPUProgram(new IntTransposeProgram(x.shape, perm), [x], x.dtype);
});
