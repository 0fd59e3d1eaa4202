import type { tf } from '@cnnkit/tensor-core';

/**
 * The shape of a tfjs-backend-webgpu program (its `WebGPUProgram` interface, which the
 * package does not export): tfjs generates the accessors (`getX(...)`,
 * `getCoordsFromIndex`, `setOutputAtIndex`) and the uniform struct from these fields.
 */
export interface WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms?: string;
  workgroupSize: [number, number, number];
  size?: boolean;
  getUserCode(): string;
}

export type UniformData = Array<{ type: 'int32' | 'float32' | 'uint32'; data: number[] }>;

/** The part of tfjs's WebGPUBackend a cnnkit kernel calls. */
export interface WebgpuBackendLike {
  runWebGPUProgram(program: WebgpuProgram, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: UniformData): tf.TensorInfo;
}

/** One invocation per output element, 64 to a workgroup (tfjs's flat layout). */
export function flatProgramLayout(outputShape: number[]): Pick<WebgpuProgram, 'dispatchLayout' | 'dispatch' | 'workgroupSize'> {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return { dispatchLayout: { x: outputShape.map((_, i) => i) }, dispatch: [Math.ceil(size / 64), 1, 1], workgroupSize: [64, 1, 1] };
}
