import {
  AveragePooling2D,
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  MaxPooling2D,
  Rescaling,
  Sequential,
  Sgd,
  type CompileArgs,
  type Layer,
  type Model,
} from '@cnnkit/layers';
import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { windowChunk, windowsFirst } from './conv-filter-grad.js';
import { compareSteps, integerKernels, useWasm, values } from './test-utils/parity.js';

beforeAll(useWasm);

interface Case {
  name: string;
  input: [number, number, number];
  layers: () => Layer[];
  loss: CompileArgs['loss'];
  /** Labels for the batch of 3. */
  labels: number[][] | number[];
  /** Round inputs to halves: tied maxima in the pooling windows. */
  ties?: boolean;
  /** Integer-valued kernels (set after building), so convolution outputs tie too. */
  integerKernels?: boolean;
  /** A power of two the integer kernels are multiplied by (still exact: outputs still tie), so wide layers do not saturate. */
  kernelScale?: number;
  /** Other weights to set after building. */
  setup?: (m: Model) => void;
  /** Passed to the ORT engine: small values cut the filter gradients' batch into chunks. */
  windowChunkBytes?: number;
}

const bin = [[1], [0], [1]];
const three = [[0, 0, 1], [1, 0, 0], [0, 1, 0]];

/** One layer type (or pairing) per row; batch 3, negative inputs, odd sizes. */
const CASES: Case[] = [
  {
    name: 'Conv2D same stride 1 relu + MaxPooling2D with ties + Flatten + Dense sigmoid (BCE)',
    input: [6, 6, 2],
    layers: () => [new Conv2D({ filters: 3, kernelSize: 1, activation: 'relu', seed: 1 }), new MaxPooling2D(), new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', seed: 2 }), new Flatten(), new Dense({ units: 1, activation: 'sigmoid', seed: 3 })],
    loss: 'binary_crossentropy',
    labels: bin,
    ties: true,
    integerKernels: true,
  },
  {
    name: 'MaxPooling2D overlapping (pool 3, stride 2, same) with ties, scatter-add gradient',
    input: [7, 7, 2],
    layers: () => [new Conv2D({ filters: 2, kernelSize: 1, seed: 4 }), new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }), new Flatten(), new Dense({ units: 1, activation: 'sigmoid', seed: 5 })],
    loss: 'binary_crossentropy',
    labels: bin,
    ties: true,
    integerKernels: true,
  },
  {
    name: 'Conv2D valid stride 2 linear + GlobalAveragePooling2D + Dense softmax (CCE)',
    input: [7, 5, 3],
    layers: () => [new Conv2D({ filters: 4, kernelSize: 3, strides: 2, seed: 6 }), new GlobalAveragePooling2D(), new Dense({ units: 3, activation: 'softmax', seed: 7 })],
    loss: 'categorical_crossentropy',
    labels: three,
  },
  {
    name: 'Conv2D same stride 2 on even size (TF asymmetric pads) sigmoid + AveragePooling2D(3, 2, same) + Dense linear (MSE)',
    input: [8, 6, 2],
    layers: () => [new Conv2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', seed: 8 }), new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }), new Flatten(), new Dense({ units: 2, seed: 9 })],
    loss: 'mse',
    labels: [[0.5, -1], [2, 0], [-0.25, 1]],
  },
  {
    name: 'Rescaling with offset + Conv2D 2x2 valid + AveragePooling2D valid + Dense relu + Dense sigmoid (BCE from logits? no: probabilities)',
    input: [5, 5, 1],
    layers: () => [new Rescaling({ scale: 0.5, offset: -0.25 }), new Conv2D({ filters: 2, kernelSize: 2, seed: 10 }), new AveragePooling2D(), new Flatten(), new Dense({ units: 4, activation: 'relu', seed: 11 }), new Dense({ units: 1, activation: 'sigmoid', seed: 12 })],
    loss: 'binary_crossentropy',
    labels: bin,
  },
  {
    name: 'Dense linear + binary_crossentropy from logits',
    input: [4, 4, 2],
    layers: () => [new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', seed: 13 }), new Flatten(), new Dense({ units: 1, seed: 14 })],
    loss: { name: 'binary_crossentropy', fromLogits: true },
    labels: bin,
  },
  {
    name: 'Dense linear + sparse_categorical_crossentropy from logits',
    input: [4, 4, 2],
    layers: () => [new Conv2D({ filters: 2, kernelSize: 3, activation: 'relu', seed: 15 }), new Flatten(), new Dense({ units: 3, seed: 16 })],
    loss: { name: 'sparse_categorical_crossentropy', fromLogits: true },
    labels: [2, 0, 1],
  },
  {
    name: 'BatchNormalization (training mode) after Conv2D and after Dense, then Dropout 0.4 (same seeded mask stream)',
    input: [5, 5, 2],
    layers: () => [
      new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', seed: 17 }),
      new BatchNormalization({ momentum: 0.9 }),
      new MaxPooling2D(),
      new Dropout({ rate: 0.4 }),
      new Flatten(),
      new Dense({ units: 4, seed: 18 }),
      new BatchNormalization(),
      new Dense({ units: 3, activation: 'softmax', seed: 19 }),
    ],
    loss: 'categorical_crossentropy',
    labels: three,
  },
  {
    name: 'BatchNormalization frozen (trainable false): moving statistics, no update',
    input: [5, 5, 2],
    layers: () => [new Conv2D({ filters: 3, kernelSize: 3, seed: 20 }), new BatchNormalization({ trainable: false, movingVarianceInitializer: 'ones' }), new GlobalAveragePooling2D(), new Dense({ units: 3, activation: 'softmax', seed: 21 })],
    loss: 'sparse_categorical_crossentropy',
    labels: [1, 2, 0],
    setup: (m) => {
      // Non-trivial moving statistics, so using the batch's instead would show.
      const w = m.getWeights();
      const next = new Map([...w].map(([k, t]) => [k, k.endsWith('moving_mean') ? tf.tensor([0.3, -0.2, 0.1]) : k.endsWith('moving_variance') ? tf.tensor([2, 0.5, 1.5]) : t] as const));
      m.setWeights(next);
      for (const t of [...w.values(), ...next.values()]) t.dispose();
    },
  },
];

/** windowsFirst: the windows are the first MatMul operand of both filter gradients (checked below). */
const WINDOWS_FIRST: Case = {
  name: 'blocked: filter gradients with the windows first (4→16 and 16→16 filters over 32x32), relu max-pools with ties',
  input: [32, 32, 4],
  layers: () => [
    new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', seed: 42 }),
    new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', seed: 43 }),
    new MaxPooling2D(),
    new GlobalAveragePooling2D(),
    new Dense({ units: 1, activation: 'sigmoid', seed: 44 }),
  ],
  loss: 'binary_crossentropy',
  labels: bin,
  ties: true,
  integerKernels: true,
  kernelScale: 1 / 16,
};

/**
 * Layers with 16 filters (a multiple of the NCHWc block on AVX2 and AVX-512): the
 * blocked convolutions, pooling and the reorders between layouts.
 */
const BLOCKED_CASES: Case[] = [
  WINDOWS_FIRST,
  // The same, its filter gradients cut into one-image chunks (Split, per-chunk MatMul, Sum; checked below).
  { ...WINDOWS_FIRST, name: 'blocked: the same with the filter gradients in one-image chunks', windowChunkBytes: 200_000 },
  {
    name: 'blocked: 3-channel input conv + relu max-pool on 7x7 (uncovered edge) with ties + blocked conv + pool + GAP + Dense sigmoid',
    input: [7, 7, 3],
    layers: () => [
      new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', seed: 30 }),
      new MaxPooling2D(),
      new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', seed: 31 }),
      new MaxPooling2D(),
      new GlobalAveragePooling2D(),
      new Dense({ units: 1, activation: 'sigmoid', seed: 32 }),
    ],
    loss: 'binary_crossentropy',
    labels: bin,
    ties: true,
    integerKernels: true,
    kernelScale: 1 / 16,
  },
  {
    name: 'blocked: stride-2 and valid convs, a narrow conv after a blocked one, linear max-pool, Flatten',
    input: [9, 8, 2],
    layers: () => [
      new Conv2D({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', seed: 33 }),
      new Conv2D({ filters: 16, kernelSize: 3, activation: 'sigmoid', seed: 34 }),
      new Conv2D({ filters: 3, kernelSize: 1, seed: 35 }),
      new Conv2D({ filters: 16, kernelSize: 2, padding: 'same', seed: 36 }),
      new MaxPooling2D(),
      new Flatten(),
      new Dense({ units: 3, activation: 'softmax', seed: 37 }),
    ],
    loss: 'categorical_crossentropy',
    labels: three,
  },
  {
    name: 'blocked: BatchNormalization, Dropout and overlapping max-pool after blocked convs (reordered to NCHW and back)',
    input: [8, 8, 16],
    layers: () => [
      new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', seed: 38 }),
      new BatchNormalization(),
      new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', seed: 39 }),
      new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
      new Dropout({ rate: 0.3 }),
      new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', seed: 40 }),
      new GlobalAveragePooling2D(),
      new Dense({ units: 1, activation: 'sigmoid', seed: 41 }),
    ],
    loss: 'binary_crossentropy',
    labels: bin,
    ties: true,
    integerKernels: true,
    kernelScale: 1 / 16,
  },
];

function build(c: Case): () => Model {
  return () => {
    const m = new Sequential({ inputShape: c.input, seed: 42 });
    for (const l of c.layers()) m.add(l);
    return m;
  };
}

const RUNS = [
  ...CASES.map((c) => ({ ...c, layout: 'auto' as const })),
  ...BLOCKED_CASES.map((c) => ({ ...c, layout: 'auto' as const })),
  ...CASES.map((c) => ({ ...c, layout: 'nchw' as const })),
  ...BLOCKED_CASES.map((c) => ({ ...c, layout: 'nchw' as const })),
];

describe('ORT training engine vs the wasm engine, per layer type: two SGD(lr=1) steps, batch 3', () => {
  it('the windows-first cases do take that MatMul order, the chunked one one image a chunk (both of their convolutions)', () => {
    expect(windowsFirst(4 * 9, 16, 32 * 32)).toBe(true);
    expect(windowsFirst(16 * 9, 16, 32 * 32)).toBe(true);
    expect(windowChunk(3, 4 * 9 * 32 * 32 * 4)).toBe(3);
    expect(windowChunk(3, 4 * 9 * 32 * 32 * 4, 200_000)).toBe(1);
    expect(windowChunk(3, 16 * 9 * 32 * 32 * 4, 200_000)).toBe(1);
  });
  it.each(RUNS)('[$layout] $name', async (c) => {
    const [h, w, ch] = c.input;
    const x = tf.tensor(values(3 * h * w * ch, 11, c.ties), [3, h, w, ch]);
    const y = Array.isArray(c.labels[0]) ? tf.tensor(c.labels as number[][]) : tf.tensor(c.labels as number[]);
    const r = await compareSteps(build(c), () => ({ optimizer: new Sgd({ learningRate: 1 }), loss: c.loss }), x, y, 2, {
      setup: c.integerKernels ? (m) => integerKernels(m, c.kernelScale) : c.setup,
      trainer: { layout: c.layout, windowChunkBytes: c.windowChunkBytes },
    });
    for (let i = 0; i < 2; i++) expect(Math.abs(r.wasmLosses[i] - r.ortLosses[i])).toBeLessThan(1e-5);
    // The step must have moved the weights, or the comparison proves nothing.
    expect(r.maxUpdate).toBeGreaterThan(1e-3);
    // lr = 1: the updated weights differ by the gradients' difference.
    expect(r.maxWeightDiff, r.worst).toBeLessThan(1e-4);
    x.dispose();
    y.dispose();
  });
});
