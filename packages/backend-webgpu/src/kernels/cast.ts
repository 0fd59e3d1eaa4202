import { tf } from '@cnnkit/tensor-core';
import { flatProgramLayout, type WebgpuBackendLike, type WebgpuProgram } from './webgpu-program.js';

/**
 * int32/bool -> float32 that converts the values. tfjs-webgpu treats these casts as
 * lossless and hands back the same GPU buffer under a float32 label, while the buffer
 * still holds i32 words; kernels that copy elements (Transpose, and so any reduction
 * over a non-inner axis of a mask, as in the global max-pool gradient) then fail to
 * compile and yield no values.
 */
class ToFloatProgram implements WebgpuProgram {
  outputShape: number[];
  shaderKey = 'cnnkitToFloat';
  dispatchLayout: WebgpuProgram['dispatchLayout'];
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  variableNames = ['A'];
  size = true;

  constructor(shape: readonly number[]) {
    this.outputShape = [...shape];
    ({ dispatchLayout: this.dispatchLayout, dispatch: this.dispatch, workgroupSize: this.workgroupSize } = flatProgramLayout(this.outputShape));
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

let original: tf.KernelFunc | undefined;

/** Keeps tfjs's Cast for every other conversion; call before replacing the kernel. */
export function captureOriginalCast(): void {
  const current = tf.getKernel(tf.Cast, 'webgpu');
  if (current !== undefined && current.kernelFunc !== castConfig.kernelFunc) original = current.kernelFunc;
}

function cast(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo | tf.TensorInfo[] {
  const x = args.inputs.x as tf.TensorInfo;
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  if (dtype === 'float32' && (x.dtype === 'int32' || x.dtype === 'bool')) {
    return (args.backend as WebgpuBackendLike).runWebGPUProgram(new ToFloatProgram(x.shape), [x], 'float32');
  }
  if (original === undefined) throw new Error("webgpu Cast: tfjs-backend-webgpu's kernel was not captured before cnnkit replaced it");
  return original(args as unknown as Parameters<tf.KernelFunc>[0]);
}

export const castConfig: tf.KernelConfig = {
  kernelName: tf.Cast,
  backendName: 'webgpu',
  kernelFunc: cast as unknown as tf.KernelFunc,
};
