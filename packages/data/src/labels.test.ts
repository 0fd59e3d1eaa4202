import { describe, expect, it } from 'vitest';
import { encodeLabels } from './labels.js';

// Keras's label_mode: 'int' -> the index, 'binary' -> float 0/1 (two classes only),
// 'categorical' -> one-hot rows.
describe('encodeLabels', () => {
  it.each([
    ['int', [2, 0, 1], 3, Int32Array, [2, 0, 1], []],
    ['binary', [1, 0, 1], 2, Float32Array, [1, 0, 1], [1]],
    ['categorical', [2, 0, 1], 3, Float32Array, [0, 0, 1, 1, 0, 0, 0, 1, 0], [3]],
    ['categorical', [1, 1], 2, Float32Array, [0, 1, 0, 1], [2]],
    ['categorical', [], 4, Float32Array, [], [4]],
  ] as const)('%s of %j (%d classes)', (mode, indices, classes, type, data, shape) => {
    const encoded = encodeLabels(indices, mode, classes);
    expect(encoded.data).toBeInstanceOf(type);
    expect(Array.from(encoded.data)).toEqual(data);
    expect(encoded.shape).toEqual(shape);
  });
  it('binary needs exactly two classes; an unknown mode names the choices', () => {
    expect(() => encodeLabels([0, 2], 'binary', 3)).toThrow("labelMode 'binary': expected exactly 2 classes, found 3; use 'categorical' or 'int' for more");
    expect(() => encodeLabels([0], 'onehot' as never, 2)).toThrow(`labelMode: expected 'int', 'binary', 'categorical' or null, received "onehot"`);
  });
});
