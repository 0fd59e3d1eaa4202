import {
  createOptimizer,
  resolveLoss,
  type Activation,
  type Add,
  type AveragePooling2D,
  type BatchNormalization,
  type Concatenate,
  type Conv2D,
  type Conv2DTranspose,
  type Dense,
  type Dropout,
  type Flatten,
  type GlobalAveragePooling2D,
  type GlobalMaxPooling2D,
  type Layer,
  type LayerClassName,
  type LossName,
  type LossSpec,
  type MaxPooling2D,
  type Model,
  type Optimizer,
  type OptimizerSpec,
  type Rescaling,
  type SeparableConv2D,
  type SymbolicTensor,
  type UpSampling2D,
} from '@cnnkit/layers';
import { CnnkitError } from '@cnnkit/tensor-core';
import { WINDOW_CHUNK_BYTES } from './conv-filter-grad.js';
import { attr, GraphBuilder } from './graph-builder.js';
import { lowerActivation } from './grad-activation.js';
import { lowerAdd } from './grad-add.js';
import { lowerAveragePooling2d } from './grad-average-pooling2d.js';
import { lowerBatchNormalization } from './grad-batch-normalization.js';
import { lowerConcatenate } from './grad-concatenate.js';
import { lowerConv2d } from './grad-conv2d.js';
import { lowerConv2dTranspose } from './grad-conv2d-transpose.js';
import { lowerDense } from './grad-dense.js';
import { lowerDropout } from './grad-dropout.js';
import { lowerFlatten } from './grad-flatten.js';
import { lowerGlobalAveragePooling2d } from './grad-global-average-pooling2d.js';
import { lowerGlobalMaxPooling2d } from './grad-global-max-pooling2d.js';
import { lowerMaxPooling2d } from './grad-max-pooling2d.js';
import { lowerRescaling } from './grad-rescaling.js';
import { lowerSeparableConv2d } from './grad-separable-conv2d.js';
import { lowerUpSampling2d } from './grad-up-sampling2d.js';
import { GradientSums } from './gradient-sums.js';
import { emitLossHead } from './loss-head.js';
import { graphShapeOf, type FeedSpec, type GradWrt, type LayerLowering, type LoweringContext, type MergeLowering, type ParamLayout, type ParamSpec, type Sym } from './lowering.js';
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
  /**
   * Bytes of convolution windows the filter gradients hold at once: the batch is cut
   * into chunks that fit (default `WINDOW_CHUNK_BYTES`, 4 MiB, a slice of the L3 cache).
   */
  windowChunkBytes?: number;
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

/** A ReLU convolution whose only reader is a max-pool: the pool applies the ReLU (same values and gradients, less work). */
function reluBeforePool(layer: Layer, consumers: ReadonlyMap<Layer, readonly Layer[]>): boolean {
  const readers = consumers.get(layer) ?? [];
  return layer.className === 'Conv2D' && (layer as Conv2D).activation === 'relu' && readers.length === 1 && readers[0].className === 'MaxPooling2D';
}

/** What a layer's lowering needs to know about its neighbours. */
interface Neighbours {
  /** This Conv2D leaves its ReLU to the max-pool that reads it. */
  readonly deferRelu: boolean;
  /** This MaxPooling2D reads a Conv2D that left its ReLU to it. */
  readonly reluFirst: boolean;
}

function lowerLayer(ctx: LoweringContext, layer: Layer, near: Neighbours): LayerLowering | MergeLowering | null {
  const className = layer.className as LayerClassName;
  switch (className) {
    case 'InputLayer':
      return null;
    case 'Rescaling':
      return lowerRescaling(ctx, layer as Rescaling);
    case 'Conv2D':
      return lowerConv2d(ctx, layer as Conv2D, { deferRelu: near.deferRelu });
    case 'MaxPooling2D':
      return lowerMaxPooling2d(ctx, layer as MaxPooling2D, { reluFirst: near.reluFirst });
    case 'AveragePooling2D':
      return lowerAveragePooling2d(ctx, layer as AveragePooling2D);
    case 'GlobalAveragePooling2D':
      return lowerGlobalAveragePooling2d(ctx, layer as GlobalAveragePooling2D);
    case 'GlobalMaxPooling2D':
      return lowerGlobalMaxPooling2d(ctx, layer as GlobalMaxPooling2D);
    case 'Dense':
      return lowerDense(ctx, layer as Dense);
    case 'Flatten':
      return lowerFlatten(ctx, layer as Flatten);
    case 'Dropout':
      return lowerDropout(ctx, layer as Dropout);
    case 'BatchNormalization':
      return lowerBatchNormalization(ctx, layer as BatchNormalization);
    case 'UpSampling2D':
      return lowerUpSampling2d(ctx, layer as UpSampling2D);
    case 'Conv2DTranspose':
      return lowerConv2dTranspose(ctx, layer as Conv2DTranspose);
    case 'SeparableConv2D':
      return lowerSeparableConv2d(ctx, layer as SeparableConv2D);
    case 'Activation':
      return lowerActivation(ctx, layer as Activation);
    case 'Add':
      return lowerAdd(ctx, layer as Add);
    case 'Concatenate':
      return lowerConcatenate(ctx, layer as Concatenate);
    default: {
      // Classes added with registerLayerClass (augmentation) land here too.
      const other: never = className;
      return unsupported({ ...layer, className: String(other) } as Layer);
    }
  }
}

/** The model's one input and one output, or an error saying what the engine takes. */
function endpoints(model: Model): { input: SymbolicTensor; output: SymbolicTensor } {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new CnnkitError(
      'UNSUPPORTED_MODEL',
      `compileTrainingGraph: model "${model.name}" has ${model.inputs.length} input(s) and ${model.outputs.length} output(s); the ORT training engine supports one input and one output (any DAG of layers between them)`,
    );
  }
  if (model.outputs[0].layer === model.inputs[0].layer) throw new CnnkitError('UNSUPPORTED_MODEL', `compileTrainingGraph: model "${model.name}" has no layer between its input and its output`);
  return { input: model.inputs[0], output: model.outputs[0] };
}

/** Which layers read each layer's output. */
function consumersOf(layers: readonly Layer[]): Map<Layer, Layer[]> {
  const out = new Map<Layer, Layer[]>();
  for (const layer of layers) {
    for (const t of layer.inbound ?? []) {
      const list = out.get(t.layer) ?? [];
      list.push(layer);
      out.set(t.layer, list);
    }
  }
  return out;
}

/** One emitted step of the forward, in order; the backward walks them in reverse. */
type Step =
  | { readonly kind: 'layer'; readonly layer: Layer; readonly lowering: LayerLowering; readonly inKey: string; readonly needInput: boolean; readonly outKey: string }
  | { readonly kind: 'merge'; readonly layer: Layer; readonly lowering: MergeLowering; readonly inKeys: readonly string[]; readonly needInputs: readonly boolean[]; readonly outKey: string }
  /** An NCHW copy of a blocked tensor, shared by every layer that reads it and cannot take it blocked. */
  | { readonly kind: 'reorder'; readonly from: Sym; readonly fromKey: string; readonly toKey: string };

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
  const { input, output } = endpoints(model);
  const layers = model.layers;
  const inputShape = input.shape.slice(1) as number[];
  if (inputShape.some((d) => d === null)) throw new CnnkitError('UNSUPPORTED_MODEL', `compileTrainingGraph: model "${model.name}" needs a fixed input shape, received [${inputShape}]`);

  const b = new GraphBuilder();
  const params: ParamSpec[] = [];
  const grads = new Map<string, string>();
  const updates = new Map<string, string>();
  const feeds: FeedSpec[] = [];
  const block = options.nchwcBlock ?? null;
  if (block !== null && (!Number.isInteger(block) || block < 2)) throw new CnnkitError('INVALID_ARGUMENT', `compileTrainingGraph: expected nchwcBlock an integer >= 2 or null, received ${block}`);
  const windowChunkBytes = options.windowChunkBytes ?? WINDOW_CHUNK_BYTES;
  if (!(windowChunkBytes > 0)) throw new CnnkitError('INVALID_ARGUMENT', `compileTrainingGraph: expected windowChunkBytes > 0, received ${windowChunkBytes}`);
  const ctx: LoweringContext = {
    b,
    batch,
    block,
    windowChunkBytes,
    param(layer: Layer, weightName: string, layout: ParamLayout) {
      const w = layer.weights.find((x) => x.name === weightName);
      if (w === undefined) throw new CnnkitError('MISSING_WEIGHT', `compileTrainingGraph: layer "${layer.name}" has no weight "${weightName}"; it has ${layer.weights.map((x) => x.name).join(', ')}`);
      const path = `${layer.name}/${weightName}`;
      const kerasShape = [...w.variable.shape];
      const graphShape = graphShapeOf(kerasShape, layout);
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
  const labels = b.input(NAMES.labels, [batch, output.shape[output.shape.length - 1] ?? 1]);
  const sampleWeight = b.input(NAMES.sampleWeight, [batch]);
  const lr = b.input(NAMES.lr, []);
  const alpha = b.input(NAMES.alpha, []);

  // Images go channels-first once, at the input: no gradient flows into the data.
  const image0: Sym =
    inputShape.length === 3
      ? { name: b.op('Transpose', [image], 'image_nchw', [attr.ints('perm', [0, 3, 1, 2])]), shape: [batch, inputShape[2], inputShape[0], inputShape[1]], layout: 'NCHW' }
      : { name: image, shape: [batch, ...inputShape], layout: 'flat' };

  // Forward, in the model's execution order (a topological order of its DAG). Tensors
  // are keyed by their symbolic tensor's id; an NCHW copy of a blocked one by `<id>/nchw`.
  const values = new Map<string, Sym>([[String(input.id), image0]]);
  /** Whether a gradient must reach this tensor: some layer with trainable weights produced it or reads into it. */
  const needsGrad = new Map<string, boolean>([[String(input.id), false]]);
  const steps: Step[] = [];
  const consumers = consumersOf(layers);
  const deferred = new Set<Layer>();
  /** The key of `t` as a layer that cannot read blocked tensors sees it. */
  const nchwKey = (t: SymbolicTensor, layer: Layer): string => {
    const key = String(t.id);
    const sym = values.get(key)!;
    if (sym.layout !== 'NCHWc') return key;
    const copyKey = `${key}/nchw`;
    if (!values.has(copyKey)) {
      values.set(copyKey, reorderOutput(b, sym, `${layer.name}/input_nchw`));
      needsGrad.set(copyKey, needsGrad.get(key)!);
      steps.push({ kind: 'reorder', from: sym, fromKey: key, toKey: copyKey });
    }
    return copyKey;
  };
  for (const layer of layers) {
    const near: Neighbours = { deferRelu: reluBeforePool(layer, consumers), reluFirst: (layer.inbound ?? []).some((t) => deferred.has(t.layer)) };
    const lowering = lowerLayer(ctx, layer, near);
    if (lowering === null) continue;
    if (near.deferRelu) deferred.add(layer);
    const inbound = layer.inbound!;
    const hasTrainable = layer.trainable && layer.weights.some((w) => w.trainable);
    const outKey = String(layer.output!.id);
    if ('merge' in lowering) {
      const given = inbound.map((t) => values.get(String(t.id))!);
      const keepBlocked = lowering.acceptsBlocked?.(given) === true;
      const inKeys = inbound.map((t) => (keepBlocked ? String(t.id) : nchwKey(t, layer)));
      const needInputs = inKeys.map((k) => needsGrad.get(k)!);
      values.set(outKey, lowering.forward(inKeys.map((k) => values.get(k)!)));
      needsGrad.set(outKey, hasTrainable || needInputs.some(Boolean));
      steps.push({ kind: 'merge', layer, lowering, inKeys, needInputs, outKey });
      continue;
    }
    if (inbound.length !== 1) throw new CnnkitError('INTERNAL', `compileTrainingGraph: ${layer.label} has ${inbound.length} inputs; its lowering takes one`);
    const given = values.get(String(inbound[0].id))!;
    // A layer that cannot read a blocked tensor gets an NCHW copy; its input gradient is blocked again.
    const inKey = given.layout === 'NCHWc' && lowering.acceptsBlocked?.(given) !== true ? nchwKey(inbound[0], layer) : String(inbound[0].id);
    const needInput = needsGrad.get(inKey)!;
    values.set(outKey, lowering.forward(values.get(inKey)!));
    needsGrad.set(outKey, hasTrainable || needInput);
    steps.push({ kind: 'layer', layer, lowering, inKey, needInput, outKey });
  }
  const outputKey = String(output.id);
  const x = values.get(outputKey)!;
  const last = steps.find((st) => st.kind !== 'reorder' && st.outKey === outputKey);
  const head = emitLossHead(b, loss, last?.kind === 'layer' ? (last.lowering.head?.() ?? null) : null, x, labels, sampleWeight);

  // Backward, last step first: each tensor's gradient is the sum over its readers.
  const sums = new GradientSums(b);
  for (let i = steps.length - 1; i >= 0; i--) {
    const st = steps[i];
    if (st.kind === 'reorder') {
      const g = sums.take(st.toKey, `${st.fromKey}_nchw`);
      if (g !== null) sums.add(st.fromKey, reorderInput(b, { name: g, shape: st.from.shape, layout: 'NCHW' }, `${st.from.name}/d_blocked`).name);
      continue;
    }
    const isOutput = st.outKey === outputKey;
    const dy = isOutput ? head.grad : sums.take(st.outKey, st.layer.name!);
    // No reader needed this tensor's gradient (everything before the first layer with weights).
    if (dy === null) continue;
    if (st.kind === 'merge') {
      const dxs = st.lowering.backward(dy, st.needInputs);
      st.inKeys.forEach((k, j) => {
        const dx = dxs[j];
        if (st.needInputs[j] && dx !== null) sums.add(k, dx);
      });
      continue;
    }
    const wrt: GradWrt = isOutput ? head.wrt : 'output';
    const dx = st.lowering.backward(dy, st.needInput, wrt);
    if (st.needInput && dx !== null) sums.add(st.inKey, dx);
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
