import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Concatenate } from './concatenate.js';
import { Input } from './input-layer.js';
import { layerFromConfig } from './layer-registry.js';
import { Model } from '../models/model.js';
import { expectClose, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('Concatenate', () => {
  it('joins along the channel axis', () => {
    const a = Input({ shape: [1, 2, 1] });
    const b = Input({ shape: [1, 2, 2] });
    const out = new Concatenate().apply([a, b]);
    expect(out.shape).toEqual([null, 1, 2, 3]);
    const m = new Model({ inputs: [a, b], outputs: out });
    const y = m.call([tf.tensor4d([1, 2], [1, 1, 2, 1]), tf.tensor4d([3, 4, 5, 6], [1, 1, 2, 2])], { training: false })[0];
    expectClose(y, [1, 3, 4, 2, 5, 6], 0);
  });
  it('rejects inputs that differ off the axis', () => {
    expect(() => new Concatenate().apply([Input({ shape: [2, 2, 1] }), Input({ shape: [3, 2, 1] })])).toThrow(ShapeError);
    expect(() => new Concatenate({ axis: 1 }).apply([Input({ shape: [2, 2, 1] }), Input({ shape: [3, 2, 4] })])).toThrow(
      /Concatenate: expected inputs of one rank that agree on every axis but 1, received \(None, 2, 2, 1\) and \(None, 3, 2, 4\)/,
    );
  });
  it('round-trips its config', () => {
    const l = new Concatenate({ axis: 1 });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
  });
});
