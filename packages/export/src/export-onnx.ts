import { serializeModel, valueInfo } from '@cnnkit/onnx-proto';
import { CnnkitError } from '@cnnkit/tensor-core';
import { createEmitContext } from './emit-context.js';
import { emitterForLayer } from './emitters.js';
import type { ExportLayer, ExportModel } from './export-model.js';
import { OnnxGraph, type Value } from './onnx-graph.js';

/** The contract's tensor names (DESIGN.md "Exported ONNX"). */
export const ONNX_INPUT_NAME = 'image';
export const ONNX_OUTPUT_NAME = 'probabilities';
export const ONNX_BATCH_DIM = 'N';
export const DEFAULT_OPSET = 17;
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;

export interface ExportOnnxOptions {
  /** ONNX default-domain opset, 13..21; default 17. */
  opset?: number;
}

function fail(message: string): never {
  throw new CnnkitError('EXPORT_MODEL', `ONNX export: ${message}`);
}

/** Layers needed for the output, inputs before readers (depth-first), with cycle and dangling-name checks. */
function topologicalOrder(model: ExportModel): ExportLayer[] {
  const byName = new Map<string, ExportLayer>();
  for (const layer of model.layers) {
    if (byName.has(layer.name)) fail(`layer names must be unique, "${layer.name}" appears twice`);
    byName.set(layer.name, layer);
  }
  const order: ExportLayer[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, reader: string): void => {
    const layer = byName.get(name);
    if (!layer) fail(`layer "${reader}" reads "${name}", which is not a layer; layers: ${[...byName.keys()].join(', ')}`);
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') fail(`the layer graph has a cycle through "${name}"`);
    state.set(name, 'visiting');
    for (const input of layer.inputs) visit(input, name);
    state.set(name, 'done');
    order.push(layer);
  };
  for (const out of model.outputs) visit(out, 'outputs');
  return order;
}

function validateModel(model: ExportModel): void {
  const [h, w, c] = model.inputShape ?? [];
  if (![h, w, c].every((d) => Number.isInteger(d) && d > 0)) {
    fail(`inputShape expected [height, width, channels] of positive integers, received ${JSON.stringify(model.inputShape)}`);
  }
  if (model.outputs.length !== 1) {
    fail(`expected exactly one output layer (the file has one output "${ONNX_OUTPUT_NAME}"), received ${model.outputs.length}: ${JSON.stringify(model.outputs)}`);
  }
  for (const layer of model.layers) {
    if ((layer.inputs.length === 0) !== (layer.className === 'InputLayer')) {
      fail(
        layer.className === 'InputLayer'
          ? `InputLayer "${layer.name}" expected no inputs, received ${JSON.stringify(layer.inputs)}`
          : `layer "${layer.name}" (${layer.className}) has no inputs; only the InputLayer may have none`,
      );
    }
  }
  const inputs = model.layers.filter((l) => l.className === 'InputLayer');
  if (inputs.length !== 1) fail(`expected exactly one InputLayer (the file has one input "${ONNX_INPUT_NAME}"), received ${inputs.length}`);
}

/** The contract: `[N, 1]` for a binary model, `[N, classes]` otherwise. */
function checkClassNames(model: ExportModel, out: Value): void {
  if (out.shape.length !== 1 || model.classNames.length === 0) return;
  const units = out.shape[0];
  const ok = units === 1 ? model.classNames.length <= 2 : units === model.classNames.length;
  if (!ok) {
    fail(
      `output "${model.outputs[0]}" has ${units} unit(s) but classNames has ${model.classNames.length} (${JSON.stringify(model.classNames)}); expected 1 unit for 2 classes (binary) or one unit per class`,
    );
  }
}

/**
 * Writes `model` as an ONNX file: input `image` float32 [N, H, W, C] (NHWC raw
 * pixels, dynamic N), output `probabilities` ([N, units], or NHWC for a 4-D output).
 * Inside, 4-D tensors are NCHW; weights are permuted at export time.
 *
 * @example
 * const bytes = exportOnnx(model, { opset: 17 });
 * await writeOnnx('model.onnx', bytes);
 *
 * @throws CnnkitError `EXPORT_UNSUPPORTED` for a layer class or activation that has no ONNX form,
 *   `EXPORT_OPSET` for an opset outside 13..21, `EXPORT_MODEL`/`EXPORT_CONFIG`/`EXPORT_WEIGHTS` for a malformed description.
 */
export function exportOnnx(model: ExportModel, options: ExportOnnxOptions = {}): Uint8Array {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new CnnkitError('EXPORT_OPSET', `ONNX export: opset expected an integer in ${MIN_OPSET}..${MAX_OPSET}, received ${opset}`);
  }
  validateModel(model);
  const order = topologicalOrder(model);
  const graph = new OnnxGraph();
  graph.reserve(ONNX_INPUT_NAME);
  graph.reserve(ONNX_OUTPUT_NAME);
  const ctx = createEmitContext(graph, opset);
  const image: Value = { name: ONNX_INPUT_NAME, shape: [...model.inputShape], layout: 'NHWC' };
  const values = new Map<string, Value>();
  for (const layer of order) {
    const emitter = emitterForLayer(layer);
    const inputs = layer.className === 'InputLayer' ? [image] : layer.inputs.map((n) => values.get(n) as Value);
    values.set(layer.name, emitter(ctx, layer, inputs));
  }
  let out = values.get(model.outputs[0]) as Value;
  checkClassNames(model, out);
  if (out.layout === 'NCHW') out = ctx.toNHWC(out);
  if (out.name === ONNX_INPUT_NAME) {
    // A model with no computing layer still needs a node to name its output.
    out = { ...out, name: graph.node('Identity', [out.name], 'output_identity') };
  }
  graph.rename(out.name, ONNX_OUTPUT_NAME);

  // IR version: the lowest that carries the opset, so older checkers accept the file.
  return serializeModel({
    graph: {
      name: 'cnnkit',
      nodes: graph.nodes,
      initializers: graph.initializers,
      inputs: [valueInfo(ONNX_INPUT_NAME, [ONNX_BATCH_DIM, ...model.inputShape])],
      outputs: [valueInfo(ONNX_OUTPUT_NAME, [ONNX_BATCH_DIM, ...out.shape])],
    },
    opset,
    producerName: 'cnnkit',
    producerVersion: '0.1.0',
    metadata: { classNames: JSON.stringify(model.classNames), inputLayout: 'NHWC float32 raw 0..255' },
  });
}
