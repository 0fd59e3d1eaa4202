import { CnnkitError, tf } from '@cnnkit/tensor-core';
import { Activation, Dense, InputLayer, type CallContext, type Layer, type Model } from '@cnnkit/layers';

/** The concrete output of every layer of one forward pass, by layer (every cnnkit layer has one output). */
export type LayerValues = Map<Layer, tf.Tensor>;

function inferenceContext(model: Model): CallContext {
  return { training: false, rngFor: (name) => model.rngFor(name) };
}

/**
 * Runs the model in inference mode and keeps every layer's output, so that the
 * heatmap code can read any intermediate layer without building a sub-model
 * (cnnkit models have one output per layer, so the layer is the key).
 */
export function forwardAll(model: Model, input: tf.Tensor): LayerValues {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new CnnkitError(
      'UNSUPPORTED_MODEL',
      `computeCam: expected a model with one input and one output, received ${model.inputs.length} input(s) and ${model.outputs.length} output(s) in model "${model.name}"`,
    );
  }
  // Model.call checks this; the layers called one by one here do not.
  const expected = model.inputs[0].shape;
  if (input.rank !== expected.length || expected.some((d, i) => d !== null && d !== input.shape[i])) {
    throw new CnnkitError(
      'BAD_INPUT',
      `computeCam: model "${model.name}" expected images of shape ${JSON.stringify(expected)} (raw 0..255, the model's input size), received ${JSON.stringify(input.shape)}`,
    );
  }
  const values: LayerValues = new Map();
  const ctx = inferenceContext(model);
  for (const layer of model.layers) {
    if (layer instanceof InputLayer) {
      values.set(layer, input);
      continue;
    }
    values.set(layer, layer.call(layer.inbound!.map((s) => values.get(s.layer)!), ctx));
  }
  return values;
}

/**
 * Recomputes only the layers downstream of `from` with `from`'s output replaced
 * by `value`; upstream outputs come from `cached` and are constants for `tf.grad`.
 * Stops after `until` (the layer whose output the class score is read from).
 */
export function forwardFrom(model: Model, cached: LayerValues, from: Layer, value: tf.Tensor, until: Layer): LayerValues {
  const values: LayerValues = new Map(cached);
  values.set(from, value);
  const dirty = new Set<Layer>([from]);
  const ctx = inferenceContext(model);
  for (const layer of model.layers) {
    if (layer === from || layer instanceof InputLayer) continue;
    if (layer.inbound!.some((s) => dirty.has(s.layer))) {
      dirty.add(layer);
      values.set(layer, layer.call(layer.inbound!.map((s) => values.get(s.layer)!), ctx));
    }
    if (layer === until) break;
  }
  return values;
}

/** Whether the layer is a convolution whose output is a spatial feature map. */
export function isConvLike(layer: Layer): boolean {
  return layer.className === 'Conv2D' || layer.className === 'SeparableConv2D' || layer.className === 'Conv2DTranspose';
}

/**
 * How the model turns features into class probabilities: the layer whose input
 * gives the pre-activation class scores (logits), and the activation applied.
 * `scores` means the output has no sigmoid/softmax to strip and is used as is.
 */
export interface ClassHead {
  readonly kind: 'sigmoid' | 'softmax' | 'scores';
  /** 1 for a binary (one-unit) head, else the number of classes. */
  readonly units: number;
  /** The pre-activation class scores `[N, units]` from a forward pass's values. */
  logits(values: LayerValues): tf.Tensor2D;
  /** The layer whose output `logits` reads (forwardFrom stops there). */
  readonly last: Layer;
}

/**
 * Finds the class head. Grad-CAM differentiates the score before the softmax
 * (Selvaraju et al. 2017, section 3), so a final Dense(sigmoid|softmax) is
 * recomputed without its activation, and a final Activation layer is skipped.
 */
export function classHead(model: Model): ClassHead {
  const out = model.outputs[0].layer;
  const shape = model.outputs[0].shape;
  if (shape.length !== 2 || shape[1] === null) {
    throw new CnnkitError(
      'UNSUPPORTED_MODEL',
      `computeCam: expected a classifier output [batch, classes], received ${JSON.stringify(shape)} from ${out.label}`,
    );
  }
  const units = shape[1];
  if (out instanceof Dense && (out.activation === 'sigmoid' || out.activation === 'softmax')) {
    const source = out.inbound![0].layer;
    const kernel = out.weights.find((w) => w.name === 'kernel')!.variable;
    const bias = out.weights.find((w) => w.name === 'bias')?.variable;
    return {
      kind: out.activation,
      units,
      last: out,
      logits: (values) => {
        const x = values.get(source)!;
        const flat = (x.rank === 2 ? x : tf.reshape(x, [-1, kernel.shape[0]])) as tf.Tensor2D;
        const z = tf.matMul(flat, kernel as tf.Tensor2D);
        return (bias === undefined ? z : tf.add(z, bias)) as tf.Tensor2D;
      },
    };
  }
  if (out instanceof Activation && (out.activation === 'sigmoid' || out.activation === 'softmax')) {
    const source = out.inbound![0].layer;
    return { kind: out.activation, units, last: source, logits: (values) => values.get(source)! as tf.Tensor2D };
  }
  return { kind: 'scores', units, last: out, logits: (values) => values.get(out)! as tf.Tensor2D };
}
