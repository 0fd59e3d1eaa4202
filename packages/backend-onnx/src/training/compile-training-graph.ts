import {
  createOptimizer,
  resolveLoss,
  type AveragePooling2D,
  type BatchNormalization,
  type Conv2D,
  type Dense,
  type Dropout,
  type Flatten,
  type GlobalAveragePooling2D,
  type Layer,
  type LayerClassName,
  type LossName,
  type LossSpec,
  type MaxPooling2D,
  type Model,
  type Optimizer,
  type OptimizerSpec,
  type Rescaling,
} from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { attr, GraphBuilder } from './graph-builder.js';
import { lowerAveragePooling2d } from './grad-average-pooling2d.js';
import { lowerBatchNormalization } from './grad-batch-normalization.js';
import { lowerConv2d } from './grad-conv2d.js';
import { lowerDense } from './grad-dense.js';
import { lowerDropout } from './grad-dropout.js';
import { lowerFlatten } from './grad-flatten.js';
import { lowerGlobalAveragePooling2d } from './grad-global-average-pooling2d.js';
import { lowerMaxPooling2d } from './grad-max-pooling2d.js';
import { lowerRescaling } from './grad-rescaling.js';
import { emitLossHead } from './loss-head.js';
import type { FeedSpec, LayerLowering, LoweringContext, ParamLayout, ParamSpec, Sym } from './lowering.js';
import { optimizerGraph } from './optimizer-update.js';
import { reorderInput, reorderOutput } from './nchwc.js';
import { ORT_TRAINABLE_LAYERS } from './trainable-layers.js';

export { ORT_TRAINABLE_LAYERS };


export interface TrainingGraphOptions {
  loss: LossName | 'mse' | LossSpec;
  /** An Optimizer instance (its hyper-parameters are baked in, its learning rate is fed per step) or a spec. */
  optimizer: Optimizer | OptimizerSpec;
  /** Examples per step: fixed by the graph. */
  batchSize: number;
  /**
   * The NCHWc channel block of the CPU the graph will run on (`probeNchwcBlock`), to run
   * convolutions and pooling on onnxruntime's blocked kernels; null or absent keeps every
   * image tensor NCHW (standard ONNX only).
   */
  nchwcBlock?: number | null;
}

/** A slot of the optimizer for one weight: its graph input and updated output. */
export interface SlotSpec {
  readonly path: string;
  readonly slot: string;
  readonly input: string;
  readonly output: string;
}

/** The compiled graph and how to feed it. */
export interface TrainingGraph {
  /** The serialized ONNX model (opset 17). */
  readonly bytes: Uint8Array;
  readonly batchSize: number;
  /** Keras input shape without the batch (`[H, W, C]`), fed NHWC. */
  readonly inputShape: readonly number[];
  /** Units of the output (the labels' row length). */
  readonly units: number;
  readonly loss: Required<LossSpec>;
  readonly optimizer: Optimizer;
  /** Every weight of the model (trainable or not), in model order. */
  readonly params: readonly ParamSpec[];
  /** Updated weights: path → output name (trainable weights and batch-norm moving statistics). */
  readonly updatedParams: ReadonlyMap<string, string>;
  readonly slots: readonly SlotSpec[];
  readonly feeds: readonly FeedSpec[];
  /** Fixed input/output names. */
  readonly names: {
    readonly image: string;
    readonly labels: string;
    readonly sampleWeight: string;
    readonly lr: string;
    readonly alpha: string;
    readonly loss: string;
    readonly predictions: string;
  };
}

const NAMES = { image: 'image', labels: 'labels', sampleWeight: 'sample_weight', lr: 'lr', alpha: 'alpha', loss: 'loss', predictions: 'predictions' } as const;

function unsupported(layer: Layer): never {
  throw new CnnkitError(
    'UNSUPPORTED_LAYER',
    `compileTrainingGraph: layer "${layer.name}" (${layer.className}) cannot be compiled for the ORT training engine; supported: ${ORT_TRAINABLE_LAYERS.join(', ')}`,
  );
}

/** A ReLU convolution straight into a max-pool: the pool applies the ReLU (same values and gradients, less work). */
function reluBeforePool(layer: Layer | undefined, next: Layer | undefined): boolean {
  return layer?.className === 'Conv2D' && (layer as Conv2D).activation === 'relu' && next?.className === 'MaxPooling2D';
}

function lowerLayer(ctx: LoweringContext, layer: Layer, previous: Layer | undefined, next: Layer | undefined): LayerLowering | null {
  const className = layer.className as LayerClassName;
  switch (className) {
    case 'InputLayer':
      return null;
    case 'Rescaling':
      return lowerRescaling(ctx, layer as Rescaling);
    case 'Conv2D':
      return lowerConv2d(ctx, layer as Conv2D, { deferRelu: reluBeforePool(layer, next) });
    case 'MaxPooling2D':
      return lowerMaxPooling2d(ctx, layer as MaxPooling2D, { reluFirst: reluBeforePool(previous, layer) });
    case 'AveragePooling2D':
      return lowerAveragePooling2d(ctx, layer as AveragePooling2D);
    case 'GlobalAveragePooling2D':
      return lowerGlobalAveragePooling2d(ctx, layer as GlobalAveragePooling2D);
    case 'Dense':
      return lowerDense(ctx, layer as Dense);
    case 'Flatten':
      return lowerFlatten(ctx, layer as Flatten);
    case 'Dropout':
      return lowerDropout(ctx, layer as Dropout);
    case 'BatchNormalization':
      return lowerBatchNormalization(ctx, layer as BatchNormalization);
    case 'GlobalMaxPooling2D':
    case 'UpSampling2D':
    case 'Conv2DTranspose':
    case 'SeparableConv2D':
    case 'Activation':
    case 'Add':
    case 'Concatenate':
      return unsupported(layer);
    default: {
      // Classes added with registerLayerClass (augmentation) land here too.
      const other: never = className;
      return unsupported({ ...layer, className: String(other) } as Layer);
    }
  }
}

/** The layers of a single-input, single-output chain, or an error naming the branching layer. */
function chainLayers(model: Model): Layer[] {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new CnnkitError('UNSUPPORTED_MODEL', `compileTrainingGraph: model "${model.name}" has ${model.inputs.length} input(s) and ${model.outputs.length} output(s); the ORT training engine supports one input, one output and a chain of layers`);
  }
  const layers = model.layers;
  for (let i = 1; i < layers.length; i++) {
    const inbound = layers[i].inbound ?? [];
    if (inbound.length !== 1 || inbound[0].layer !== layers[i - 1]) {
      throw new CnnkitError('UNSUPPORTED_MODEL', `compileTrainingGraph: layer "${layers[i].name}" does not read the layer before it; the ORT training engine supports a chain of layers (Sequential)`);
    }
  }
  if (model.outputs[0].layer !== layers[layers.length - 1]) {
    throw new CnnkitError('UNSUPPORTED_MODEL', `compileTrainingGraph: model "${model.name}" does not end with its last layer`);
  }
  return layers;
}

/**
 * Compiles one training step of `model` — forward in training mode, the loss, the
 * gradient of every trainable weight and the optimizer update — into ONE ONNX graph
 * of standard opset-17 operators, so a step is one `session.run`.
 *
 * Inputs: `image` `[B, H, W, C]` (NHWC, as the model takes it), `labels` `[B, units]`,
 * `sample_weight` `[B]`, scalars `lr` and `alpha` (Adam's corrected step), one input per
 * weight `w:<path>` (kernels OIHW), per optimizer slot `s:<path>/<slot>` and per
 * dropout mask. Outputs: `loss`, `predictions` and the updated weights/slots
 * (`w':<path>`, `s':<path>/<slot>`), fed back in next step. Batch and image size are
 * fixed by the graph.
 *
 * @example
 * ```ts
 * const graph = compileTrainingGraph(seedCnn({ imageSize: [128, 128], numClasses: 2 }), { loss: 'binary_crossentropy', optimizer: 'rmsprop', batchSize: 32 });
 * ```
 */
export function compileTrainingGraph(model: Model, options: TrainingGraphOptions): TrainingGraph {
  const batch = options.batchSize;
  if (!Number.isInteger(batch) || batch < 1) throw new CnnkitError('INVALID_ARGUMENT', `compileTrainingGraph: expected batchSize a positive integer, received ${batch}`);
  const loss = resolveLoss(options.loss);
  const optimizer = options.optimizer instanceof Object && 'applyGradients' in options.optimizer ? (options.optimizer as Optimizer) : createOptimizer(options.optimizer as OptimizerSpec);
  const layers = chainLayers(model);
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  if (inputShape.some((d) => d === null)) throw new CnnkitError('UNSUPPORTED_MODEL', `compileTrainingGraph: model "${model.name}" needs a fixed input shape, received [${inputShape}]`);

  const b = new GraphBuilder();
  const params: ParamSpec[] = [];
  const grads = new Map<string, string>();
  const updates = new Map<string, string>();
  const feeds: FeedSpec[] = [];
  const block = options.nchwcBlock ?? null;
  if (block !== null && (!Number.isInteger(block) || block < 2)) throw new CnnkitError('INVALID_ARGUMENT', `compileTrainingGraph: expected nchwcBlock an integer >= 2 or null, received ${block}`);
  const ctx: LoweringContext = {
    b,
    batch,
    block,
    param(layer: Layer, weightName: string, layout: ParamLayout) {
      const w = layer.weights.find((x) => x.name === weightName);
      if (w === undefined) throw new CnnkitError('MISSING_WEIGHT', `compileTrainingGraph: layer "${layer.name}" has no weight "${weightName}"; it has ${layer.weights.map((x) => x.name).join(', ')}`);
      const path = `${layer.name}/${weightName}`;
      const kerasShape = [...w.variable.shape];
      const graphShape = layout === 'hwio-to-oihw' ? [kerasShape[3], kerasShape[2], kerasShape[0], kerasShape[1]] : kerasShape;
      const input = b.input(`w:${path}`, graphShape);
      params.push({ path, kerasShape, graphShape, layout, trainable: layer.trainable && w.trainable, input });
      return input;
    },
    grad(path, gradient) {
      grads.set(path, gradient);
    },
    update(path, value) {
      updates.set(path, value);
    },
    feed(spec) {
      const input = b.input(spec.base, spec.shape);
      const { base: _base, ...rest } = spec;
      feeds.push({ ...rest, input });
      return input;
    },
  };

  const image = b.input(NAMES.image, [batch, ...inputShape]);
  const labels = b.input(NAMES.labels, [batch, model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 1]);
  const sampleWeight = b.input(NAMES.sampleWeight, [batch]);
  const lr = b.input(NAMES.lr, []);
  const alpha = b.input(NAMES.alpha, []);

  // Images go channels-first once, at the input: no gradient flows into the data.
  let x: Sym =
    inputShape.length === 3
      ? { name: b.op('Transpose', [image], 'image_nchw', [attr.ints('perm', [0, 3, 1, 2])]), shape: [batch, inputShape[2], inputShape[0], inputShape[1]], layout: 'NCHW' }
      : { name: image, shape: [batch, ...inputShape], layout: 'flat' };
  const lowered: { layer: Layer; lowering: LayerLowering; hasWeightsBefore: boolean; reblocked: Sym | null }[] = [];
  let trainableSoFar = false;
  for (const [i, layer] of layers.entries()) {
    const lowering = lowerLayer(ctx, layer, layers[i - 1], layers[i + 1]);
    if (lowering === null) continue;
    // A layer that cannot read a blocked tensor gets an NCHW copy; its input gradient is blocked again.
    const reblocked = x.layout === 'NCHWc' && lowering.acceptsBlocked?.(x) !== true ? x : null;
    if (reblocked !== null) x = reorderOutput(b, x, `${layer.name}/input_nchw`);
    lowered.push({ layer, lowering, hasWeightsBefore: trainableSoFar, reblocked });
    x = lowering.forward(x);
    if (layer.trainable && layer.weights.some((w) => w.trainable)) trainableSoFar = true;
  }
  const last = lowered[lowered.length - 1];
  const head = emitLossHead(b, loss, last?.lowering.head?.() ?? null, x, labels, sampleWeight);

  // Backward, last layer first; input gradients stop at the first layer with weights.
  let dy = head.grad;
  let wrt = head.wrt;
  for (let i = lowered.length - 1; i >= 0; i--) {
    const { lowering, hasWeightsBefore, reblocked } = lowered[i];
    const dx = lowering.backward(dy, hasWeightsBefore, wrt);
    wrt = 'output';
    if (dx === null) break;
    dy = reblocked === null ? dx : reorderInput(b, { name: dx, shape: reblocked.shape, layout: 'NCHW' }, `${lowered[i].layer.name}/dx_blocked`).name;
  }

  const opt = optimizerGraph(optimizer);
  const slots: SlotSpec[] = [];
  const updatedParams = new Map<string, string>();
  const scalars = { lr, alpha };
  for (const p of params) {
    const update = updates.get(p.path);
    if (update !== undefined) {
      b.output(update, `w':${p.path}`, p.graphShape);
      updatedParams.set(p.path, `w':${p.path}`);
      continue;
    }
    if (!p.trainable) continue;
    const g = grads.get(p.path);
    if (g === undefined) throw new CnnkitError('INTERNAL', `compileTrainingGraph: no gradient was emitted for "${p.path}"`);
    const slotInputs: Record<string, string> = {};
    for (const s of opt.slots) slotInputs[s] = b.input(`s:${p.path}/${s}`, p.graphShape);
    const next = opt.emit(b, p.path, p.input, g, slotInputs, scalars);
    b.output(next.weight, `w':${p.path}`, p.graphShape);
    updatedParams.set(p.path, `w':${p.path}`);
    for (const s of opt.slots) {
      b.output(next.slots[s], `s':${p.path}/${s}`, p.graphShape);
      slots.push({ path: p.path, slot: s, input: slotInputs[s], output: `s':${p.path}/${s}` });
    }
  }
  b.output(head.loss, NAMES.loss, []);
  const units = x.shape[1];
  b.output(head.predictions, NAMES.predictions, [batch, units]);
  return {
    bytes: b.toBytes(`${model.name}_train_step`),
    batchSize: batch,
    inputShape,
    units,
    loss,
    optimizer,
    params,
    updatedParams,
    slots,
    feeds,
    names: NAMES,
  };
}
