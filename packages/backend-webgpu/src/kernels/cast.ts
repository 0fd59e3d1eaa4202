import { tf } from '@cnnkit/tensor-core';
import { FlatProgram, type WebgpuBackendLike } from './webgpu-program.js';
import { wrapKernel } from './wrap-kernel.js';

/**
 * int32/bool -> float32 that converts the values. tfjs-webgpu treats these casts as
 * lossless and hands back the same GPU buffer under a float32 label, while the buffer
 * still holds i32 words; kernels that copy elements (Transpose, and so any reduction
 * over a non-inner axis of a mask, as in the global max-pool gradient) then fail to
 * compile and yield no values.
 */
class ToFloatProgram extends FlatProgram {
  constructor(shape: readonly number[]) {
    super(shape, 'cnnkitToFloat', ['A']);
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, f32(A[index]));
        }
      }
    `;
  }
}

/** tfjs-webgpu's Cast, with int32/bool -> float32 converting the values. */
export const castKernel = wrapKernel(tf.Cast, ({ inputs, backend, attrs }) => {
  const x = inputs.x as tf.TensorInfo;
  const { dtype } = attrs as unknown as tf.CastAttrs;
  if (dtype !== 'float32' || (x.dtype !== 'int32' && x.dtype !== 'bool')) return null;
  return (backend as WebgpuBackendLike).runWebGPUProgram(new ToFloatProgram(x.shape), [x], 'float32');
});
