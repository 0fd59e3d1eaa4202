import { tf } from '@cnnkit/tensor-core';
import { wrapKernel } from './wrap-kernel.js';

/**
 * AddN of many tensors in groups. tfjs-webgpu binds every input as a storage buffer,
 * and WebGPU's default limit is 8 per shader stage (tfjs does not ask for more), so an
 * AddN of 8 or more tensors (a gradient summed over many uses of one tensor) fails to
 * compile: the inputs are summed 7 at a time, then the partial sums.
 */
export const addNKernel = wrapKernel(tf.AddN, ({ inputs, backend, attrs }, original) => {
  const tensors = inputs as unknown as tf.TensorInfo[];
  const limits = (backend as { device?: { limits?: { maxStorageBuffersPerShaderStage?: number } } }).device?.limits;
  const group = Math.max(2, (limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
  if (tensors.length <= group) return null;
  const add = (list: tf.TensorInfo[]) => original({ inputs: list as unknown as tf.NamedTensorInfoMap, backend, attrs });
  const dispose = (list: tf.TensorInfo[]) => {
    for (const t of list) if (!tensors.includes(t)) (backend as { disposeData(id: object): void }).disposeData(t.dataId);
  };
  let level = tensors;
  while (level.length > group) {
    const next: tf.TensorInfo[] = [];
    for (let i = 0; i < level.length; i += group) {
      const chunk = level.slice(i, i + group);
      next.push(chunk.length === 1 ? chunk[0] : add(chunk));
    }
    dispose(level);
    level = next;
  }
  const sum = add(level);
  dispose(level);
  return sum;
});
