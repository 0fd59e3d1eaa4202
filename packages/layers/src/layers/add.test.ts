import { ShapeError, tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Add } from './add.js';
import { Input } from './input-layer.js';
import { Model } from '../models/model.js';
import { expectClose, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('Add', () => {
  it('sums its inputs element-wise', () => {
    const a = Input({ shape: [2] });
    const b = Input({ shape: [2] });
    const c = Input({ shape: [2] });
    const m = new Model({ inputs: [a, b, c], outputs: new Add().apply([a, b, c]) });
    const y = m.call([tf.tensor2d([[1, 2]]), tf.tensor2d([[10, 20]]), tf.tensor2d([[-1, 0.5]])], { training: false })[0];
    expectClose(y, [10, 22.5], 1e-6);
  });
  it('rejects different shapes and a single input', () => {
    expect(() => new Add().apply([Input({ shape: [2] }), Input({ shape: [3] })])).toThrow(ShapeError);
    expect(() => new Add().apply([Input({ shape: [2] }), Input({ shape: [3] })])).toThrow(/Add: expected inputs of one shape, received \(None, 2\) and \(None, 3\)/);
    expect(() => new Add().apply(Input({ shape: [2] }))).toThrow(/Add: expected 2 or more inputs, received 1/);
  });
});
