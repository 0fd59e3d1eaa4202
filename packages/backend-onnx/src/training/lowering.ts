import type { Layer } from '@cnnkit/layers';
import type { GraphBuilder } from './graph-builder.js';

/**
 * Where a value's channels are inside the training graph: 4-D tensors are NCHW (what
 * ONNX Conv/Pool want) or `NCHWc`, onnxruntime's blocked layout (`[N, C/B, H, W, B]`
 * in memory, see nchwc.ts); anything else is `flat` and ordered as in Keras.
 */
export type Layout = 'NCHW' | 'NCHWc' | 'flat';

/** A tensor of the graph: its name, its full static shape (batch first; logical NCHW for both image layouts) and its layout. */
export interface Sym {
  readonly name: string;
  readonly shape: readonly number[];
  readonly layout: Layout;
}

/**
 * How a weight is stored in the graph compared with Keras: `hwio-to-oihw` moves the
 * two last axes of a conv kernel first (`[kh, kw, a, b]` → `[b, a, kh, kw]`: Conv's
 * OIHW from Conv2D's HWIO, ConvTranspose's `[in, out, kh, kw]` from Conv2DTranspose's
 * `[kh, kw, out, in]`); `depthwise` makes a depthwise kernel `[kh, kw, C, M]` the
 * grouped Conv's `[C*M, 1, kh, kw]` (output channel `c*M + m`, as TensorFlow orders them).
 */
export type ParamLayout = 'same' | 'hwio-to-oihw' | 'depthwise';

/** The graph shape of a weight of Keras shape `kerasShape`. */
export function graphShapeOf(kerasShape: readonly number[], layout: ParamLayout): number[] {
  switch (layout) {
    case 'same':
      return [...kerasShape];
    case 'hwio-to-oihw':
      return [kerasShape[3], kerasShape[2], kerasShape[0], kerasShape[1]];
    case 'depthwise':
      return [kerasShape[2] * kerasShape[3], 1, kerasShape[0], kerasShape[1]];
    default: {
      const never: never = layout;
      throw new RangeError(`graphShapeOf: unknown layout ${String(never)}`);
    }
  }
}

/** A weight the graph reads as an input (and, when trainable, writes updated as an output). */
export interface ParamSpec {
  readonly path: string;
  readonly kerasShape: readonly number[];
  readonly graphShape: readonly number[];
  readonly layout: ParamLayout;
  readonly trainable: boolean;
  /** The graph input's name. */
  readonly input: string;
}

/** A per-step value fed by the trainer (a dropout mask). */
export interface FeedSpec {
  readonly input: string;
  readonly shape: readonly number[];
  readonly kind: 'dropout-mask';
  readonly layerName: string;
  readonly rate: number;
  /** Keras (NHWC) shape of the masked tensor: the mask is drawn in this order, as the layers Dropout does. */
  readonly kerasShape: readonly number[];
  readonly layout: Layout;
}

/** What a layer's lowering can ask of the compiler. */
export interface LoweringContext {
  readonly b: GraphBuilder;
  readonly batch: number;
  /** The NCHWc channel block of this CPU, or null to keep every image tensor NCHW. */
  readonly block: number | null;
  /** Bytes of windows a filter gradient holds at once (see windowChunk). */
  readonly windowChunkBytes: number;
  /** Declares a weight of `layer` (by weight name) as a graph input; returns the input name. */
  param(layer: Layer, weightName: string, layout: ParamLayout): string;
  /** Records the gradient of a weight (by path `layer/weight`). */
  grad(path: string, gradient: string): void;
  /** Records a new value of a non-trainable weight (batch-norm moving statistics). */
  update(path: string, value: string): void;
  /** Declares a per-step input. */
  feed(spec: Omit<FeedSpec, 'input'> & { base: string }): string;
}

/** The gradient given to a layer's backward: with respect to its output, or to its pre-activation (a fused loss). */
export type GradWrt = 'output' | 'preactivation';

/** One layer as forward ops and their gradient. */
export interface LayerLowering {
  forward(x: Sym): Sym;
  /** Emits the backward; returns the gradient with respect to the input, or null when `needInputGrad` is false. */
  backward(dy: string, needInputGrad: boolean, wrt: GradWrt): string | null;
  /** The layer's activation and its pre-activation value (after forward), for the fused loss gradient. */
  readonly head?: () => { activation: string; preActivation: Sym; output: Sym };
  /**
   * Whether the layer takes this blocked (`NCHWc`) input as it is (its backward then
   * returns a blocked gradient). Absent or false: the compiler reorders the input to
   * NCHW before the layer and its gradient back after.
   */
  readonly acceptsBlocked?: (x: Sym) => boolean;
}

/**
 * A layer of several inputs (Add, Concatenate). `merge` tells it apart from a
 * single-input `LayerLowering`.
 */
export interface MergeLowering {
  readonly merge: true;
  forward(xs: readonly Sym[]): Sym;
  /** Emits the backward; one gradient per input, null where `needInputGrad` is false. */
  backward(dy: string, needInputGrad: readonly boolean[]): (string | null)[];
  /** Whether the layer takes these inputs as they are, blocked ones included; otherwise every blocked input gets an NCHW copy. */
  readonly acceptsBlocked?: (xs: readonly Sym[]) => boolean;
}

export function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** TensorFlow's padding for one spatial axis: `[before, after]` (`same` puts the odd pixel after). */
export function tfPads(inSize: number, k: number, stride: number, dilation: number, padding: 'same' | 'valid'): { out: number; before: number; after: number } {
  const eff = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((inSize - eff) / stride) + 1, before: 0, after: 0 };
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + eff - inSize, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}
