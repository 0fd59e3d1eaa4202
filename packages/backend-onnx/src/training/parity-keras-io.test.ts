import {
  Activation,
  Adam,
  Add,
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  GlobalAveragePooling2D,
  Input,
  MaxPooling2D,
  Model,
  Rescaling,
  SeparableConv2D,
} from '@cnnkit/layers';
import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSteps, useWasm, values } from './test-utils/parity.js';

beforeAll(useWasm);

/**
 * keras.io's "Image classification from scratch" model (`make_model`), small: the
 * entry flow (Rescaling, Conv2D stride 2 + BN + ReLU), residual blocks of
 * [ReLU, SeparableConv2D, BN, ReLU, SeparableConv2D, BN, MaxPooling2D(3, 2, same)] plus
 * a 1x1 stride-2 Conv2D of the block's input, then SeparableConv2D + BN + ReLU,
 * GlobalAveragePooling2D, Dropout(0.25) and a linear Dense (binary, from logits).
 * Filter counts are multiples of 16, so `auto` runs the convolutions blocked.
 */
function kerasIoModel(size: number, entry: number, blocks: readonly number[], last: number): Model {
  const inputs = Input({ shape: [size, size, 3] });
  let x = new Rescaling({ scale: 1 / 255 }).apply(inputs);
  x = new Conv2D({ filters: entry, kernelSize: 3, strides: 2, padding: 'same' }).apply(x);
  x = new BatchNormalization().apply(x);
  x = new Activation({ activation: 'relu' }).apply(x);
  let previous = x;
  for (const filters of blocks) {
    x = new Activation({ activation: 'relu' }).apply(x);
    x = new SeparableConv2D({ filters, kernelSize: 3, padding: 'same' }).apply(x);
    x = new BatchNormalization().apply(x);
    x = new Activation({ activation: 'relu' }).apply(x);
    x = new SeparableConv2D({ filters, kernelSize: 3, padding: 'same' }).apply(x);
    x = new BatchNormalization().apply(x);
    x = new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }).apply(x);
    const residual = new Conv2D({ filters, kernelSize: 1, strides: 2, padding: 'same' }).apply(previous);
    x = new Add().apply([x, residual]);
    previous = x;
  }
  x = new SeparableConv2D({ filters: last, kernelSize: 3, padding: 'same' }).apply(x);
  x = new BatchNormalization().apply(x);
  x = new Activation({ activation: 'relu' }).apply(x);
  x = new GlobalAveragePooling2D().apply(x);
  x = new Dropout({ rate: 0.25 }).apply(x);
  return new Model({ inputs, outputs: new Dense({ units: 1 }).apply(x), seed: 5 });
}

/** Paths of the biases whose layer feeds a BatchNormalization (same names in every build: they are per model). */
function preBatchNormBiases(): Set<string> {
  const m = kerasIoModel(32, 16, [16, 32], 48);
  const out = new Set<string>();
  for (const layer of m.layers) {
    if (layer.className !== 'BatchNormalization') continue;
    const before = layer.inbound![0].layer;
    if (before.weights.some((w) => w.name === 'bias')) out.add(`${before.name}/bias`);
  }
  m.dispose();
  return out;
}

describe('ORT training engine vs the wasm engine: the keras.io image-classification-from-scratch model at 32x32', () => {
  // `chunked`: every filter gradient (Conv2D and SeparableConv2D's depthwise step) in one-image chunks.
  const RUNS = [
    { label: 'auto', layout: 'auto' as const },
    { label: 'nchw', layout: 'nchw' as const },
    { label: 'auto, chunked', layout: 'auto' as const, windowChunkBytes: 1 },
  ];
  it.each(RUNS)('[$label] 3 steps of the tutorial optimizer (Adam 3e-4, BCE from logits), batch 4: losses within 1e-5, weights and Adam slots within 1e-4', async ({ label, layout, windowChunkBytes }) => {
    const n = 4;
    // Raw pixels with flat (tied) regions, as photos have: the max-pools see ties.
    const x = tf.tensor(Float32Array.from(values(n * 32 * 32 * 3, 13, true), (v) => (v + 1) * 127.5), [n, 32, 32, 3]);
    const y = tf.tensor([[1], [0], [0], [1]]);
    const r = await compareSteps(
      () => kerasIoModel(32, 16, [16, 32], 48),
      () => ({ optimizer: new Adam({ learningRate: 3e-4 }), loss: { name: 'binary_crossentropy', fromLogits: true } }),
      x,
      y,
      3,
      { trainer: { layout, windowChunkBytes } },
    );
    const lossDiff = Math.max(...r.wasmLosses.map((l, i) => Math.abs(l - r.ortLosses[i])));
    console.log(`[${label}] keras.io model: losses wasm ${r.wasmLosses.join(', ')}; max |loss diff| ${lossDiff.toExponential(1)}, max |weight/slot diff| ${r.maxWeightDiff.toExponential(1)} (${r.worst})`);
    expect(lossDiff).toBeLessThan(1e-5);
    // Adam moves every weight by about the learning rate per step.
    expect(r.maxUpdate).toBeGreaterThan(5e-4);
    expect(r.maxWeightDiff, r.worst).toBeLessThan(1e-4);
    // A bias right before BatchNormalization has a zero gradient (the batch mean removes
    // it): both engines hold rounding noise (~1e-9) there, which Adam's g / sqrt(v) scales
    // up to ~lr. Every other weight and slot agrees to float rounding.
    const noisy = preBatchNormBiases();
    const rest = [...r.diffs].filter(([key]) => ![...noisy].some((path) => key === path || key.startsWith(`slot ${path}/`)));
    const [worstKey, worstRest] = rest.reduce((a, b) => (b[1] > a[1] ? b : a));
    console.log(`[${label}] worst outside the pre-BN biases: ${worstKey} ${worstRest.toExponential(1)}`);
    expect(worstRest, worstKey).toBeLessThan(2e-6);
    x.dispose();
    y.dispose();
  });
});
