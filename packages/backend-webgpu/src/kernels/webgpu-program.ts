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

/**
 * A program with one invocation per output element, 64 to a workgroup (tfjs's flat
 * layout): `main(index)` gets the flat output index, and `uniforms.size` bounds it.
 */
export abstract class FlatProgram implements WebgpuProgram {
  outputShape: number[];
  dispatchLayout: WebgpuProgram['dispatchLayout'];
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;

  constructor(
    outputShape: readonly number[],
    readonly shaderKey: string,
    readonly variableNames: string[],
    readonly uniforms?: string,
  ) {
    this.outputShape = [...outputShape];
    const size = this.outputShape.reduce((a, b) => a * b, 1);
    this.dispatchLayout = { x: this.outputShape.map((_, i) => i) };
    this.dispatch = [Math.ceil(size / 64), 1, 1];
  }

  abstract getUserCode(): string;
}
