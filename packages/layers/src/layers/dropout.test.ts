import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dropout } from './dropout.js';
import { layerFromConfig } from './layer-registry.js';
import { oneLayerModel, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('Dropout', () => {
  it('is the identity at inference', () => {
    const m = oneLayerModel(new Dropout({ rate: 0.5 }), [4]);
    const x = tf.tensor2d([1, 2, 3, 4], [1, 4]);
    expect(Array.from(m.call([x], { training: false })[0].dataSync())).toEqual([1, 2, 3, 4]);
  });
  it('zeroes about `rate` of the inputs and scales the rest by 1/(1-rate) (inverted dropout)', () => {
    const m = oneLayerModel(new Dropout({ rate: 0.25 }), [10_000]);
    const y = m.call([tf.ones([1, 10_000])], { training: true })[0].dataSync();
    const kept = Array.from(y).filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    // 10,000 Bernoulli(0.75) draws: std of the kept fraction is 0.0043; allow 5 std.
    expect(Math.abs(kept.length / 10_000 - 0.75)).toBeLessThan(0.022);
    // Mean is preserved in expectation.
    expect(Math.abs(Array.from(y).reduce((a, b) => a + b, 0) / 10_000 - 1)).toBeLessThan(0.03);
  });
  it('draws a fresh mask every step, reproducibly from the seed', () => {
    const masks = (seed: number) => {
      const m = oneLayerModel(new Dropout({ rate: 0.5 }), [64]);
      const run = () => Array.from(m.call([tf.ones([1, 64])], { training: true })[0].dataSync());
      return [run(), run(), (m as unknown as { seed: number }).seed ?? seed];
    };
    const [a1, a2] = masks(0);
    const [b1, b2] = masks(0);
    expect(a1).not.toEqual(a2);
    expect(a1).toEqual(b1);
    expect(a2).toEqual(b2);
  });
  it('validates rate and round-trips its config', () => {
    expect(() => new Dropout({ rate: 1 })).toThrow(/Dropout: expected "rate" < 1, received 1/);
    const l = new Dropout({ rate: 0.3, seed: 9 });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
