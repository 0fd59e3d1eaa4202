import { seedCnn, Sgd } from '@cnnkit/layers';
import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSteps, useWasm, values } from './test-utils/parity.js';

beforeAll(useWasm);

describe('ORT training engine vs the wasm engine: the tutorial model at 32x32', () => {
  it('one SGD(lr=1) step: same loss and same updated weights (so same gradients) within 1e-4', async () => {
    const n = 3;
    const x = tf.tensor(Float32Array.from(values(n * 32 * 32 * 3, 7), (v) => Math.round((v + 1) * 127.5)), [n, 32, 32, 3]);
    const y = tf.tensor([[1], [0], [1]]);
    const r = await compareSteps(
      () => seedCnn({ imageSize: [32, 32], numClasses: 2, seed: 3 }),
      () => ({ optimizer: new Sgd({ learningRate: 1 }), loss: 'binary_crossentropy' }),
      x,
      y,
      1,
    );
    expect(Math.abs(r.wasmLosses[0] - r.ortLosses[0])).toBeLessThan(1e-5);
    expect(r.maxUpdate).toBeGreaterThan(1e-4);
    expect(r.maxWeightDiff, r.worst).toBeLessThan(1e-4);
  });
});
