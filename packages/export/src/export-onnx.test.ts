import type { TensorShapeProto_Dimension } from 'onnx-buf';
import { beforeAll, describe, expect, it } from 'vitest';
import { CnnkitError } from '@cnnkit/tensor-core';
import { EXPORT_LAYER_CLASSES } from './export-model.js';
import { exportOnnx } from './export-onnx.js';
import { chain, expectOnnxMatchesReference, layer, randomWeight, rng, useWasmReference } from './test-utils/harness.js';
import { everyLayerModel, tutorialModel } from './test-utils/models.js';
import { readModelProto } from './test-utils/read-model.js';

beforeAll(useWasmReference);

function dims(bytes: Uint8Array, which: 'input' | 'output'): (string | number)[] {
  const info = readModelProto(bytes).graph![which][0];
  const t = info.type!.value;
  if (t.case !== 'tensorType') throw new Error('not a tensor');
  return t.value.shape!.dim.map((d: TensorShapeProto_Dimension) => (d.value.case === 'dimParam' ? d.value.value : Number(d.value.value)));
}

describe('exportOnnx: the contract', () => {
  it('one input "image" [N, H, W, 3] float32 and one output "probabilities" [N, 1] for a binary model', () => {
    const bytes = exportOnnx(tutorialModel(64));
    const model = readModelProto(bytes);
    expect(model.graph!.input.map((i) => i.name)).toEqual(['image']);
    expect(model.graph!.output.map((o) => o.name)).toEqual(['probabilities']);
    expect(dims(bytes, 'input')).toEqual(['N', 64, 64, 3]);
    expect(dims(bytes, 'output')).toEqual(['N', 1]);
    const input = model.graph!.input[0].type!.value;
    expect(input.case === 'tensorType' && input.value.elemType).toBe(1); // FLOAT
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(model.metadataProps.find((p) => p.key === 'classNames')?.value).toBe('["cat","dog"]');
  });

  it('[N, classes] for a multi-class model', () => {
    expect(dims(exportOnnx(everyLayerModel()), 'output')).toEqual(['N', 3]);
  });

  it('transposes NHWC -> NCHW once for a conv stack and never back (GAP output is [N, C])', () => {
    const ops = readModelProto(exportOnnx(tutorialModel(64))).graph!.node.map((n) => n.opType);
    expect(ops.filter((o) => o === 'Transpose')).toHaveLength(1);
    expect(ops).toEqual(['Mul', 'Transpose', ...Array(4).fill(['Conv', 'Relu', 'MaxPool']).flat(), 'GlobalAveragePool', 'Flatten', 'Gemm', 'Sigmoid']);
  });

  it('the every-layer DAG has two Transposes: into NCHW at the input, back to NHWC before Flatten', () => {
    const nodes = readModelProto(exportOnnx(everyLayerModel())).graph!.node;
    const transposes = nodes.filter((n) => n.opType === 'Transpose');
    expect(transposes.map((n) => n.input[0])).toEqual(['image', 'small']);
  });

  it('an image layer on a flat tensor is rejected naming the layer and the shape', () => {
    const model = chain([4, 4, 3], [layer('flatten', 'Flatten', []), layer('pool', 'MaxPooling2D', [])]);
    expect(() => exportOnnx(model)).toThrow('ONNX export of layer "pool" (MaxPooling2D): expected a 4-D input [N, H, W, C], received [N, 48]');
  });

  it('a 4-D output is transposed back to NHWC', () => {
    const r = rng('4d-out');
    const bytes = exportOnnx(chain([6, 5, 3], [layer('conv', 'Conv2D', [], { filters: 2, kernelSize: 3 }, { kernel: randomWeight(r, [3, 3, 3, 2]), bias: randomWeight(r, [2]) })]));
    expect(dims(bytes, 'output')).toEqual(['N', 4, 3, 2]);
    const nodes = readModelProto(bytes).graph!.node;
    expect(nodes.at(-1)!.opType).toBe('Transpose');
    expect(nodes.at(-1)!.output).toEqual(['probabilities']);
  });

  it('a model without computing layers still names its output (Identity), and layers named like the contract tensors do not collide', async () => {
    const model = {
      inputShape: [2, 3, 3] as [number, number, number],
      layers: [layer('image', 'InputLayer', []), layer('probabilities', 'Dropout', ['image'], { rate: 0.5 })],
      outputs: ['probabilities'],
      classNames: [],
    };
    const bytes = exportOnnx(model);
    const graph = readModelProto(bytes).graph!;
    expect(graph.node.map((n) => [n.opType, n.input, n.output])).toEqual([['Identity', ['image'], ['probabilities']]]);
    expect(dims(bytes, 'output')).toEqual(['N', 2, 3, 3]);
    const r = rng('named');
    const named = chain([4, 4, 3], [
      layer('image', 'Conv2D', [], { filters: 2, kernelSize: 3 }, { kernel: randomWeight(r, [3, 3, 3, 2]), bias: randomWeight(r, [2]) }),
      layer('flatten', 'Flatten', []),
      layer('probabilities', 'Dense', [], { units: 1, activation: 'sigmoid' }, { kernel: randomWeight(r, [8, 1]), bias: randomWeight(r, [1]) }),
    ]);
    named.layers[0].name = 'input';
    await expectOnnxMatchesReference(named);
  });

  it('node and initializer names are unique and nodes read only earlier outputs (topological)', () => {
    const graph = readModelProto(exportOnnx(everyLayerModel())).graph!;
    const produced = new Set<string>(['image', ...graph.initializer.map((t) => t.name)]);
    const nodeNames = new Set<string>();
    for (const n of graph.node) {
      for (const i of n.input) if (i !== '') expect(produced.has(i), `${n.name} reads ${i}`).toBe(true);
      for (const o of n.output) {
        expect(produced.has(o), `${o} produced twice`).toBe(false);
        produced.add(o);
      }
      expect(nodeNames.has(n.name)).toBe(false);
      nodeNames.add(n.name);
    }
    expect(produced.has('probabilities')).toBe(true);
  });

  it.each([[13], [17], [21]])('opset %i is accepted and runs', async (opset) => {
    await expectOnnxMatchesReference(everyLayerModel(), { opset, batches: [2] });
  });

  it.each([[12], [22], [17.5]])('opset %s is rejected with EXPORT_OPSET', (opset) => {
    const call = () => exportOnnx(tutorialModel(64), { opset });
    expect(call).toThrow(CnnkitError);
    expect(call).toThrow(`ONNX export: opset expected an integer in 13..21, received ${opset}`);
  });

  it('an unsupported layer class is EXPORT_UNSUPPORTED naming the layer, its class and the supported classes', () => {
    const model = chain([8, 8, 3], [layer('lstm_1', 'LSTM', [], { units: 4 })]);
    let error: unknown;
    try {
      exportOnnx(model);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CnnkitError);
    expect((error as CnnkitError).code).toBe('EXPORT_UNSUPPORTED');
    expect((error as Error).message).toContain('layer "lstm_1" of class LSTM cannot be exported');
    expect((error as Error).message).toContain(`supported classes: ${EXPORT_LAYER_CLASSES.join(', ')}`);
  });

  it('rejects malformed descriptions with the problem named', () => {
    const base = tutorialModel(64);
    expect(() => exportOnnx({ ...base, outputs: ['dense', 'conv2d_0'] })).toThrow(/expected exactly one output layer/);
    expect(() => exportOnnx({ ...base, outputs: ['nope'] })).toThrow(/layer "outputs" reads "nope", which is not a layer/);
    expect(() => exportOnnx({ ...base, classNames: ['a', 'b', 'c'] })).toThrow(/has 1 unit\(s\) but classNames has 3/);
    const cyclic = chain([4, 4, 3], [layer('a', 'Activation', ['b'], { activation: 'relu' }), layer('b', 'Activation', ['a'], { activation: 'relu' })]);
    expect(() => exportOnnx(cyclic)).toThrow(/cycle through "b"/);
    expect(() => exportOnnx({ ...base, layers: [...base.layers, base.layers[2]] })).toThrow('layer names must be unique, "conv2d_0" appears twice');
    const input = { ...base.layers[0], config: { batchShape: [null, 32, 32, 3] } };
    expect(() => exportOnnx({ ...base, layers: [input, ...base.layers.slice(1)] })).toThrow(
      `layer "input_layer" (InputLayer): expected its shape to match the model's inputShape [64, 64, 3], received [32, 32, 3]`,
    );
    const tooBig = chain([2, 2, 3], [layer('pool3', 'MaxPooling2D', [], { poolSize: 3 })]);
    expect(() => exportOnnx(tooBig)).toThrow('layer "pool3" (MaxPooling2D): expected a window that fits the input 2x2, received one that leaves an output of 0x0');
    const wrongPadding = chain([4, 4, 3], [layer('c', 'MaxPooling2D', [], { padding: 'causal' })]);
    expect(() => exportOnnx(wrongPadding)).toThrow(/layer "c" \(MaxPooling2D\): config.padding expected one of "valid", "same", received "causal"/);
  });
});

describe('whole models versus tfjs (max abs diff <= 1e-4, N = 1 and 3)', () => {
  it.each([[64], [128]])('the tutorial model at %i px square', async (size) => {
    const result = await expectOnnxMatchesReference(tutorialModel(size));
    console.info(`tutorial ${size}x${size}: max abs diff ${result.maxAbsDiff.toExponential(2)}`);
    expect(result.perInput.map((p) => p.outputShape)).toEqual([[1, 1], [3, 1]]);
  });

  it('a DAG with every layer type (residual Add, Concatenate of four branches)', async () => {
    const result = await expectOnnxMatchesReference(everyLayerModel());
    console.info(`every-layer DAG: max abs diff ${result.maxAbsDiff.toExponential(2)}`);
    expect(result.perInput.map((p) => p.outputShape)).toEqual([[1, 3], [3, 3]]);
    const classes = new Set(everyLayerModel().layers.map((l) => l.className));
    expect([...EXPORT_LAYER_CLASSES].filter((c) => !classes.has(c))).toEqual([]);
  });
});
