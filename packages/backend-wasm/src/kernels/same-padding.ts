import { tf } from '@cnnkit/tensor-core';

/** The wasm convolutions whose "same" padding goes wrong when the stride is longer than the kernel. */
const WRAPPED = [tf.Conv2D, tf.FusedConv2D, tf.DepthwiseConv2dNative, tf.FusedDepthwiseConv2D] as const;

const originals = new Map<string, tf.KernelConfig>();

interface ConvAttrs {
  strides: number | [number, number];
  pad: unknown;
  dilations?: number | [number, number];
}

const pair = (v: number | [number, number] | undefined): [number, number] => (v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v);

/**
 * TensorFlow's "same" pads `(ceil(n/s) - 1) * s + k_eff - n` in total on an axis, and
 * none when that is negative (a stride longer than the kernel skips input cells).
 * tfjs-backend-wasm (XNNPACK's TF-same mode) does not clamp it: Conv2D, its fused
 * form and the depthwise ones give wrong numbers there (the conformance suite's
 * "stride 3 over a 2x2 kernel" cases). For exactly those shapes this returns the
 * clamped pads as explicit padding, which the same kernels compute correctly; null
 * for every other call, which then runs untouched.
 */
export function explicitSamePadding(xShape: readonly number[], filterShape: readonly number[], attrs: ConvAttrs, depthwise: boolean): [number, number][] | null {
  if (attrs.pad !== 'same') return null;
  const [, h, w] = xShape;
  const [kh, kw] = filterShape;
  const [sh, sw] = pair(attrs.strides);
  const [dh, dw] = pair(attrs.dilations);
  const negative = (n: number, k: number, s: number, d: number) => (Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n < 0;
  if (!negative(h, kh, sh, dh) && !negative(w, kw, sw, dw)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    [sh, sw],
    [dh, dw],
    'same',
    undefined,
    depthwise,
  );
  const { top, bottom, left, right } = info.padInfo;
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

function wrapped(kernelName: string): tf.KernelConfig {
  const depthwise = kernelName === tf.DepthwiseConv2dNative || kernelName === tf.FusedDepthwiseConv2D;
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const original = originals.get(kernelName);
      if (original === undefined) throw new Error(`${kernelName} (wasm): the tfjs kernel it wraps was not found`);
      const x = inputs.x as tf.TensorInfo;
      const filter = inputs.filter as tf.TensorInfo;
      const pad = explicitSamePadding(x.shape, filter.shape, attrs as unknown as ConvAttrs, depthwise);
      return original.kernelFunc({ inputs, backend, attrs: pad === null ? attrs : { ...attrs, pad: pad as unknown as tf.NamedAttrMap[string] } });
    },
    // The replaced kernel binds its wasm function in its setup; that must still run.
    setupFunc: (backend) => originals.get(kernelName)?.setupFunc?.(backend),
  };
}

/** The wrapped kernels, one config per convolution kernel name. */
export const SAME_PADDING_KERNELS: readonly tf.KernelConfig[] = WRAPPED.map(wrapped);

/** Remembers tfjs's own kernels the first time, so registering again never wraps the wrapper. */
export function captureOriginalConvolutions(): void {
  for (const config of SAME_PADDING_KERNELS) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current !== undefined && current.kernelFunc !== config.kernelFunc) originals.set(config.kernelName, current);
  }
}
