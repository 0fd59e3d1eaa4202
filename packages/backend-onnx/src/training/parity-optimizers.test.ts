import { Adam, AdamW, Rmsprop, seedCnn, Sgd, type Optimizer } from '@cnnkit/layers';
import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSteps, useWasm, values } from './test-utils/parity.js';

beforeAll(useWasm);

const OPTIMIZERS: { name: string; make: () => Optimizer }[] = [
  { name: 'RMSprop (Keras defaults)', make: () => new Rmsprop({ learningRate: 1e-3 }) },
  { name: 'RMSprop centred with momentum', make: () => new Rmsprop({ learningRate: 1e-3, centered: true, momentum: 0.5 }) },
  { name: 'Adam', make: () => new Adam({ learningRate: 1e-3 }) },
  { name: 'Adam amsgrad', make: () => new Adam({ learningRate: 1e-3, amsgrad: true }) },
  { name: 'AdamW', make: () => new AdamW({ learningRate: 1e-3, weightDecay: 0.01 }) },
  { name: 'SGD Nesterov momentum', make: () => new Sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }) },
];

describe('ORT training engine tracks the wasm engine over several steps (tutorial model, 16x16, batch 3)', () => {
  it.each(OPTIMIZERS)('$name: 4 steps, losses and weights within 1e-4 (relative where |w| > 1)', async ({ make }) => {
    const x = tf.tensor(Float32Array.from(values(3 * 16 * 16 * 3, 5), (v) => Math.round((v + 1) * 127.5)), [3, 16, 16, 3]);
    const y = tf.tensor([[0], [1], [1]]);
    const r = await compareSteps(() => seedCnn({ imageSize: [16, 16], numClasses: 2, seed: 9 }), () => ({ optimizer: make(), loss: 'binary_crossentropy' }), x, y, 4, { relative: true });
    r.wasmLosses.forEach((l, i) => expect(Math.abs(l - r.ortLosses[i]) / Math.max(1, Math.abs(l))).toBeLessThan(1e-4));
    // Several steps moved the weights.
    expect(r.maxUpdate).toBeGreaterThan(1e-3);
    expect(r.maxWeightDiff, r.worst).toBeLessThan(1e-4);
    x.dispose();
    y.dispose();
  });
});
