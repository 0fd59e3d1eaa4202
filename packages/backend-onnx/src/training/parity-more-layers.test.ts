import {
  Activation,
  ACTIVATION_NAMES,
  Add,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Conv2DTranspose,
  Dense,
  Flatten,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  Input,
  MaxPooling2D,
  Model,
  SeparableConv2D,
  Sgd,
  UpSampling2D,
  type CompileArgs,
  type SymbolicTensor,
} from '@cnnkit/layers';
import { tf } from '@cnnkit/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSteps, integerKernels, useWasm, values } from './test-utils/parity.js';

beforeAll(useWasm);

/** A functional model from its input: the layers under test, then a head the loss reads. */
interface Case {
  name: string;
  input: [number, number, number];
  build: (x: SymbolicTensor) => SymbolicTensor;
  loss: CompileArgs['loss'];
  /** Labels for the batch of 3. */
  labels: number[][] | number[];
  /** Round inputs to halves (and kernels to integers): tied maxima. */
  ties?: boolean;
  /** Multiplies the integer kernels (a power of two keeps ties exact), so wide layers do not saturate. */
  kernelScale?: number;
}

const bin = [[1], [0], [1]];
const three = [[0, 0, 1], [1, 0, 0], [0, 1, 0]];
const sigmoidHead = (x: SymbolicTensor, seed: number) => new Dense({ units: 1, activation: 'sigmoid', seed }).apply(new Flatten().apply(x));

/** One new layer class (or configuration) per row; batch 3, negative inputs, odd sizes. */
const CASES: Case[] = [
  {
    name: 'GlobalMaxPooling2D with tied maxima (gradient shared equally, as the wasm engine) + Dense sigmoid',
    input: [5, 5, 2],
    build: (x) => new Dense({ units: 1, activation: 'sigmoid', seed: 2 }).apply(new GlobalMaxPooling2D().apply(new Conv2D({ filters: 3, kernelSize: 1, seed: 1 }).apply(x))),
    loss: 'binary_crossentropy',
    labels: bin,
    ties: true,
    kernelScale: 1 / 4,
  },
  {
    name: 'GlobalMaxPooling2D keepdims after a 3x3 conv, with ties, + Flatten + Dense softmax',
    input: [6, 5, 2],
    build: (x) => new Dense({ units: 3, activation: 'softmax', seed: 4 }).apply(new Flatten().apply(new GlobalMaxPooling2D({ keepdims: true }).apply(new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', seed: 3 }).apply(x)))),
    loss: 'categorical_crossentropy',
    labels: three,
    ties: true,
    kernelScale: 1 / 4,
  },
  {
    name: 'UpSampling2D nearest, size [2, 3], between convs',
    input: [3, 5, 2],
    build: (x) => {
      const up = new UpSampling2D({ size: [2, 3] }).apply(new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', seed: 5 }).apply(x));
      return sigmoidHead(new Conv2D({ filters: 2, kernelSize: 3, strides: 2, activation: 'sigmoid', seed: 6 }).apply(up), 7);
    },
    loss: 'binary_crossentropy',
    labels: bin,
  },
  {
    name: 'UpSampling2D bilinear (half-pixel centres, clamped edges), size 2 then [3, 2]',
    input: [3, 4, 2],
    build: (x) => {
      const a = new UpSampling2D({ size: 2, interpolation: 'bilinear' }).apply(new Conv2D({ filters: 2, kernelSize: 2, padding: 'same', seed: 8 }).apply(x));
      const b = new UpSampling2D({ size: [3, 2], interpolation: 'bilinear' }).apply(new Conv2D({ filters: 2, kernelSize: 3, activation: 'tanh', seed: 9 }).apply(a));
      return new Dense({ units: 3, activation: 'softmax', seed: 10 }).apply(new GlobalAveragePooling2D().apply(new Conv2D({ filters: 3, kernelSize: 3, strides: 2, seed: 11 }).apply(b)));
    },
    loss: 'categorical_crossentropy',
    labels: three,
  },
  {
    name: 'Conv2DTranspose first layer (stride 2, same, odd size), then stride 1 valid with dilation 2 and no bias, then stride 2 valid k2',
    input: [3, 5, 2],
    build: (x) => {
      const a = new Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', seed: 12 }).apply(x);
      const b = new Conv2DTranspose({ filters: 2, kernelSize: 2, dilationRate: 2, useBias: false, activation: 'sigmoid', seed: 13 }).apply(a);
      const c = new Conv2DTranspose({ filters: 2, kernelSize: 2, strides: 2, seed: 14 }).apply(b);
      return new Dense({ units: 2, seed: 15 }).apply(new GlobalAveragePooling2D().apply(c));
    },
    loss: 'mse',
    labels: [[0.5, -1], [2, 0], [-0.25, 1]],
  },
  {
    // Not stride 3 with kernel 2: the wasm engine's conv2d is wrong there with `same` (the reference's input gradient is zero).
    name: 'Conv2DTranspose stride 2 same with a 1x1 kernel (output padding), after a conv',
    input: [4, 3, 2],
    build: (x) => {
      const a = new Conv2DTranspose({ filters: 2, kernelSize: 1, strides: 2, padding: 'same', activation: 'elu', seed: 17 }).apply(new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', seed: 16 }).apply(x));
      return sigmoidHead(a, 18);
    },
    loss: 'binary_crossentropy',
    labels: bin,
  },
  {
    name: 'SeparableConv2D first layer (depth multiplier 2, stride 2, same, relu) then valid with dilation 2, no bias, tanh',
    input: [9, 7, 3],
    build: (x) => {
      const a = new SeparableConv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu', seed: 19 }).apply(x);
      const b = new SeparableConv2D({ filters: 3, kernelSize: 2, dilationRate: 2, useBias: false, activation: 'tanh', seed: 20 }).apply(a);
      return new Dense({ units: 3, activation: 'softmax', seed: 21 }).apply(new Flatten().apply(b));
    },
    loss: 'categorical_crossentropy',
    labels: three,
  },
  {
    name: 'SeparableConv2D after a conv (input gradient through the depthwise step), 3x1 kernel, depth multiplier 3',
    input: [6, 5, 2],
    build: (x) => {
      const a = new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', seed: 22 }).apply(x);
      return sigmoidHead(new SeparableConv2D({ filters: 2, kernelSize: [3, 1], depthMultiplier: 3, padding: 'same', activation: 'swish', seed: 23 }).apply(a), 24);
    },
    loss: 'binary_crossentropy',
    labels: bin,
  },
  {
    name: 'dilated Conv2D: dilation 2 same, then dilation [2, 1] valid',
    input: [9, 8, 2],
    build: (x) => {
      const a = new Conv2D({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'relu', seed: 25 }).apply(x);
      const b = new Conv2D({ filters: 2, kernelSize: 3, dilationRate: [2, 1], seed: 26 }).apply(a);
      return sigmoidHead(b, 27);
    },
    loss: 'binary_crossentropy',
    labels: bin,
  },
  {
    name: 'Activation softmax over the channels of an image, Activation sigmoid as the head (fused with BCE)',
    input: [4, 5, 2],
    build: (x) => {
      const a = new Activation({ activation: 'softmax' }).apply(new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', seed: 28 }).apply(x));
      return new Activation({ activation: 'sigmoid' }).apply(new Dense({ units: 1, seed: 29 }).apply(new Flatten().apply(new Conv2D({ filters: 2, kernelSize: 2, seed: 30 }).apply(a))));
    },
    loss: 'binary_crossentropy',
    labels: bin,
  },
  {
    name: 'Activation softmax as the head after a linear Dense (fused with categorical cross-entropy)',
    input: [3, 4, 2],
    build: (x) => new Activation({ activation: 'softmax' }).apply(new Dense({ units: 3, seed: 45 }).apply(new Flatten().apply(new Conv2D({ filters: 2, kernelSize: 2, activation: 'elu', seed: 44 }).apply(x)))),
    loss: 'categorical_crossentropy',
    labels: three,
  },
  {
    name: 'DAG: residual block (Conv -> BN -> ReLU -> Conv, Add with the skip) with the skip read twice',
    input: [6, 6, 2],
    build: (x) => {
      const skip = new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', seed: 31 }).apply(x);
      let y = new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', seed: 32 }).apply(skip);
      y = new Activation({ activation: 'relu' }).apply(new BatchNormalization().apply(y));
      y = new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', seed: 33 }).apply(y);
      const sum = new Add().apply([y, skip]);
      return new Dense({ units: 3, activation: 'softmax', seed: 34 }).apply(new GlobalAveragePooling2D().apply(new Activation({ activation: 'relu' }).apply(sum)));
    },
    loss: 'sparse_categorical_crossentropy',
    labels: [2, 0, 1],
  },
  {
    name: 'DAG: two-branch Concatenate on the channels (3x3 conv | 1x1 conv + max-pool 3/1/same with ties), then Add of three inputs',
    input: [5, 7, 2],
    build: (x) => {
      const stem = new Conv2D({ filters: 2, kernelSize: 1, seed: 35 }).apply(x);
      const a = new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', seed: 36 }).apply(stem);
      const b = new MaxPooling2D({ poolSize: 3, strides: 1, padding: 'same' }).apply(new Conv2D({ filters: 3, kernelSize: 1, seed: 37 }).apply(stem));
      const cat = new Concatenate().apply([a, b]);
      const c = new Conv2D({ filters: 2, kernelSize: 1, seed: 38 }).apply(cat);
      const sum = new Add().apply([c, stem, a]);
      return sigmoidHead(sum, 39);
    },
    loss: 'binary_crossentropy',
    labels: bin,
    ties: true,
    kernelScale: 1 / 8,
  },
  {
    name: 'DAG: Concatenate along height and along width of images, and of features after two heads',
    input: [4, 5, 2],
    build: (x) => {
      const a = new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', seed: 40 }).apply(x);
      const b = new Conv2D({ filters: 2, kernelSize: 1, activation: 'leaky_relu', seed: 41 }).apply(x);
      const tall = new Concatenate({ axis: 1 }).apply([a, b]);
      const wide = new Concatenate({ axis: 2 }).apply([b, a, b]);
      const f1 = new Dense({ units: 3, activation: 'gelu', seed: 42 }).apply(new Flatten().apply(tall));
      const f2 = new GlobalMaxPooling2D().apply(wide);
      return new Dense({ units: 3, activation: 'softmax', seed: 43 }).apply(new Concatenate().apply([f1, f2]));
    },
    loss: 'categorical_crossentropy',
    labels: three,
  },
];

/** Every activation the layers package has, as an Activation layer between a conv and the head. */
const ACTIVATION_CASES: Case[] = ACTIVATION_NAMES.map((activation, i) => ({
  name: `Activation "${activation}" on an image`,
  input: [4, 3, 2],
  build: (x) => sigmoidHead(new Activation({ activation }).apply(new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', seed: 50 + i }).apply(x)), 60 + i),
  loss: 'binary_crossentropy',
  labels: bin,
}));

/**
 * 16 filters (a multiple of the NCHWc block on AVX2 and AVX-512): blocked Add and
 * Concatenate, blocked tensors read by NCHW-only layers (one shared copy), and the
 * new layers next to blocked convolutions.
 */
const BLOCKED_CASES: Case[] = [
  {
    name: 'blocked: residual Add of two blocked convs, a blocked tensor read by a blocked conv and by BN (NCHW copy), Concatenate of blocked tensors',
    input: [6, 5, 3],
    build: (x) => {
      const skip = new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', seed: 70 }).apply(x);
      const y = new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', seed: 71 }).apply(skip);
      const bn = new BatchNormalization().apply(skip);
      const sum = new Add().apply([y, skip]);
      const cat = new Concatenate().apply([sum, new Conv2D({ filters: 16, kernelSize: 1, seed: 72 }).apply(bn)]);
      return new Dense({ units: 1, activation: 'sigmoid', seed: 73 }).apply(new GlobalAveragePooling2D().apply(new Conv2D({ filters: 16, kernelSize: 3, strides: 2, seed: 74 }).apply(cat)));
    },
    loss: 'binary_crossentropy',
    labels: bin,
    ties: true,
    kernelScale: 1 / 16,
  },
  {
    name: 'blocked: Conv2D with softmax over its 16 channels (runs NCHW) between blocked convs',
    input: [5, 4, 3],
    build: (x) => {
      const a = new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', seed: 81 }).apply(x);
      const b = new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'softmax', seed: 82 }).apply(a);
      return new Dense({ units: 1, activation: 'sigmoid', seed: 84 }).apply(new GlobalAveragePooling2D().apply(new Conv2D({ filters: 16, kernelSize: 3, seed: 83 }).apply(b)));
    },
    loss: 'binary_crossentropy',
    labels: bin,
  },
  {
    name: 'blocked: SeparableConv2D (blocked pointwise) + BN + Activation relu (kept blocked), GlobalMaxPooling2D with ties, UpSampling2D and Conv2DTranspose after blocked convs',
    input: [5, 6, 16],
    build: (x) => {
      const a = new SeparableConv2D({ filters: 16, kernelSize: 3, padding: 'same', seed: 75 }).apply(x);
      const b = new Activation({ activation: 'relu' }).apply(new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', seed: 76 }).apply(new BatchNormalization().apply(a)));
      const up = new UpSampling2D({ interpolation: 'bilinear' }).apply(b);
      const t = new Conv2DTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', seed: 77 }).apply(new Conv2D({ filters: 16, kernelSize: 1, dilationRate: 1, seed: 78 }).apply(up));
      const d = new Conv2D({ filters: 16, kernelSize: 3, dilationRate: 2, seed: 79 }).apply(t);
      return new Dense({ units: 3, activation: 'softmax', seed: 80 }).apply(new GlobalMaxPooling2D().apply(d));
    },
    loss: 'categorical_crossentropy',
    labels: three,
    ties: true,
    kernelScale: 1 / 16,
  },
];

function build(c: Case): () => Model {
  return () => {
    const input = Input({ shape: c.input });
    return new Model({ inputs: input, outputs: c.build(input), seed: 42 });
  };
}

const ALL = [...CASES, ...ACTIVATION_CASES, ...BLOCKED_CASES];
const RUNS = [...ALL.map((c) => ({ ...c, layout: 'auto' as const })), ...ALL.map((c) => ({ ...c, layout: 'nchw' as const }))];

/** Measured differences, printed once at the end (the engine's README quotes them). */
const measured: string[] = [];
afterAll(() => {
  console.log(`max |wasm - ort| after 2 SGD(lr=1) steps, batch 3:\n${measured.join('\n')}`);
});

describe('ORT training engine vs the wasm engine, layers and DAGs: two SGD(lr=1) steps, batch 3', () => {
  it.each(RUNS)('[$layout] $name', async (c) => {
    const [h, w, ch] = c.input;
    const x = tf.tensor(values(3 * h * w * ch, 11, c.ties), [3, h, w, ch]);
    const y = Array.isArray(c.labels[0]) ? tf.tensor(c.labels as number[][]) : tf.tensor(c.labels as number[]);
    const r = await compareSteps(build(c), () => ({ optimizer: new Sgd({ learningRate: 1 }), loss: c.loss }), x, y, 2, {
      setup: c.ties ? (m) => integerKernels(m, c.kernelScale) : undefined,
      trainer: { layout: c.layout },
    });
    const lossDiff = Math.max(...r.wasmLosses.map((l, i) => Math.abs(l - r.ortLosses[i])));
    measured.push(`[${c.layout}] ${c.name}: loss ${lossDiff.toExponential(1)}, weights ${r.maxWeightDiff.toExponential(1)} (losses ${r.wasmLosses.map((l) => l.toFixed(3)).join(', ')})`);
    expect(lossDiff).toBeLessThan(1e-5);
    // The step must have moved the weights, or the comparison proves nothing.
    expect(r.maxUpdate).toBeGreaterThan(1e-3);
    // lr = 1: the updated weights differ by the gradients' difference.
    expect(r.maxWeightDiff, r.worst).toBeLessThan(1e-4);
    x.dispose();
    y.dispose();
  });
});
