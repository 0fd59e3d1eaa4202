import { cpuBackend } from '@cnnkit/backend-cpu';
import { relativeError } from '@cnnkit/conformance';
import { BackendRegistry, countLeaks, createRng, selectBackend, tf } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from './wasm-backend.js';

/**
 * One training step of a small CNN (conv, relu, max-pool, conv stride 2, global
 * average pool, dense, sigmoid, binary cross-entropy) on a batch of 4 with
 * negative inputs: wasm's gradients must equal cpu's within the conformance
 * suite's gradient tolerance.
 */
function gradients(): { loss: number; grads: Float32Array[] } {
  const rng = createRng('training-step');
  const x = rng.uniformTensor([4, 12, 12, 3], -1, 1) as tf.Tensor4D;
  const y = tf.tensor2d([0, 1, 1, 0], [4, 1]);
  const params = [
    rng.uniformTensor([3, 3, 3, 8], -0.4, 0.4),
    rng.uniformTensor([8], -0.1, 0.1),
    rng.uniformTensor([3, 3, 8, 16], -0.2, 0.2),
    rng.uniformTensor([16], -0.1, 0.1),
    rng.uniformTensor([16, 1], -0.5, 0.5),
    rng.uniformTensor([1], -0.1, 0.1),
  ];
  const lossOf = (k1: tf.Tensor, b1: tf.Tensor, k2: tf.Tensor, b2: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
    let h = tf.relu(tf.add(tf.conv2d(x, k1 as tf.Tensor4D, 1, 'same'), b1)) as tf.Tensor4D;
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h, k2 as tf.Tensor4D, 2, 'same'), b2)) as tf.Tensor4D;
    const p = tf.sigmoid(tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, w as tf.Tensor2D), b));
    const q = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q)))))) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(lossOf as unknown as (...a: tf.Tensor[]) => tf.Scalar)(params);
  const out = { loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
  tf.dispose([x, y, value, ...grads, ...params]);
  return out;
}

describe('a CNN training step on wasm', () => {
  it('computes the same loss and gradients as cpu (relative error <= 2e-4) and leaks nothing', async () => {
    const registry = new BackendRegistry().add(cpuBackend()).add(wasmBackend());
    await selectBackend({ name: 'cpu', registry });
    const reference = gradients();
    await selectBackend({ name: 'wasm', registry });
    const { result: actual, leaked } = await countLeaks(() => gradients());
    expect(leaked).toBe(0);
    expect(Math.abs(actual.loss - reference.loss)).toBeLessThan(1e-5);
    for (const [i, g] of actual.grads.entries()) {
      expect(relativeError(g, reference.grads[i]), `parameter ${i}`).toBeLessThanOrEqual(2e-4);
      // A gradient of zeros would match trivially; the step must actually flow.
      expect(Math.max(...reference.grads[i].map(Math.abs))).toBeGreaterThan(1e-4);
    }
  });
});
