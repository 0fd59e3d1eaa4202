import { assertNoLeaks, asyncScope, countLeaks, defaultRegistry, selectBackend, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from './cpu-backend.js';

describe('memory scoping (tensor-core helpers on a real backend)', () => {
  beforeAll(async () => {
    defaultRegistry.add(cpuBackend());
    await selectBackend({ name: 'cpu' });
  });

  it('countLeaks counts tensors left alive beyond those returned', async () => {
    const { leaked, result } = await countLeaks(() => {
      tf.ones([2]);
      return tf.zeros([3]);
    });
    expect(leaked).toBe(1);
    tf.dispose(result);
  });

  it('assertNoLeaks throws naming the operation; a tidy training step passes', async () => {
    await expect(assertNoLeaks('leaky step', () => void tf.ones([2]))).rejects.toThrow(
      'leaky step: expected no leaked tensors, 1 stayed alive',
    );
    const w = tf.variable(tf.ones([3, 1]));
    const x = tf.ones([4, 3]);
    const opt = tf.train.sgd(0.1);
    await assertNoLeaks('sgd step', () => {
      const loss = opt.minimize(() => tf.mean(tf.square(tf.matMul(x, w))) as tf.Scalar, true);
      loss?.dispose();
    });
    tf.dispose([w, x]);
    opt.dispose();
  });

  it('asyncScope disposes what an awaited step created, keeping the result', async () => {
    const before = tf.memory().numTensors;
    const kept = await asyncScope(async () => {
      const a = tf.ones([4]);
      await a.data();
      return tf.mul(a, 2);
    });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Array.from(await kept.data())).toEqual([2, 2, 2, 2]);
    kept.dispose();
  });
});
