import { tf } from '@cnnkit/tensor-core';

export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** A kernel that handles the cases tfjs-webgpu gets wrong and hands the rest to tfjs's own. */
export interface WrappedKernel {
  config: tf.KernelConfig;
  /** Keeps tfjs's kernel for the other cases; call before the config replaces it. */
  captureOriginal(): void;
}

/**
 * Wraps tfjs-webgpu's kernel `kernelName`: `handle` returns its own result for the cases
 * it fixes (it may call tfjs's kernel, `original`, on other arguments), or null to run
 * tfjs's kernel unchanged.
 */
export function wrapKernel(
  kernelName: string,
  handle: (args: KernelArgs, original: (args: KernelArgs) => tf.TensorInfo) => tf.TensorInfo | null,
): WrappedKernel {
  let original: tf.KernelFunc | undefined;
  const callOriginal = (args: KernelArgs): tf.TensorInfo => {
    if (original === undefined) throw new Error(`webgpu ${kernelName}: tfjs-backend-webgpu's kernel was not captured before cnnkit replaced it`);
    return original(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  };
  const kernelFunc = ((args: KernelArgs) => handle(args, callOriginal) ?? callOriginal(args)) as unknown as tf.KernelFunc;
  return {
    config: { kernelName, backendName: 'webgpu', kernelFunc },
    captureOriginal: () => {
      const current = tf.getKernel(kernelName, 'webgpu');
      if (current !== undefined && current.kernelFunc !== kernelFunc) original = current.kernelFunc;
    },
  };
}
