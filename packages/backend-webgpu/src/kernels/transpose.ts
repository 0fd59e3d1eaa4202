import { tf } from '@cnnkit/tensor-core';
import { flatProgramLayout, type WebgpuBackendLike, type WebgpuProgram } from './webgpu-program.js';

const AXES = ['x', 'y', 'z', 'w', 'u', 'v'];
// tfjs-webgpu's coordinate types: WGSL vectors up to 4, its own structs for 5 and 6.
const coordsType = (rank: number) => (rank <= 4 ? `vec${rank}<i32>` : `vec${rank}`);

/**
 * Transpose of int32 and bool tensors of rank 3 to 6. tfjs-webgpu's TransposeProgram
 * passes the i32 element to the f32 `setOutputAtIndex`, which WGSL rejects, so every
 * such transpose (the reductions over non-inner axes of a mask, e.g. the global
 * max-pool gradient) produced no values; this one writes through the i32 setter.
 */
class IntTransposeProgram implements WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: WebgpuProgram['dispatchLayout'];
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  variableNames = ['A'];
  size = true;

  constructor(
    shape: readonly number[],
    private readonly perm: readonly number[],
  ) {
    this.outputShape = perm.map((p) => shape[p]);
    this.shaderKey = `cnnkitIntTranspose_${perm.join(',')}`;
    ({ dispatchLayout: this.dispatchLayout, dispatch: this.dispatch, workgroupSize: this.workgroupSize } = flatProgramLayout(this.outputShape));
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

let original: tf.KernelFunc | undefined;

/** Keeps tfjs's Transpose for the cases it gets right; call before replacing the kernel. */
export function captureOriginalTranspose(): void {
  const current = tf.getKernel(tf.Transpose, 'webgpu');
  if (current !== undefined && current.kernelFunc !== transposeConfig.kernelFunc) original = current.kernelFunc;
}

function transpose(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo | tf.TensorInfo[] {
  const x = args.inputs.x as tf.TensorInfo;
  const perm = (args.attrs as unknown as tf.TransposeAttrs).perm;
  if (x.dtype !== 'float32' && x.shape.length >= 3 && x.shape.length <= 6) {
    return (args.backend as WebgpuBackendLike).runWebGPUProgram(new IntTransposeProgram(x.shape, perm), [x], x.dtype);
  }
  if (original === undefined) throw new Error('webgpu Transpose: tfjs-backend-webgpu\'s kernel was not captured before cnnkit replaced it');
  return original(args as unknown as Parameters<tf.KernelFunc>[0]);
}

export const transposeConfig: tf.KernelConfig = {
  kernelName: tf.Transpose,
  backendName: 'webgpu',
  kernelFunc: transpose as unknown as tf.KernelFunc,
};
