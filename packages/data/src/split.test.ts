import { describe, expect, it } from 'vitest';
import { splitIndices } from './split.js';

// Keras's rule (keras/src/utils/dataset_utils.py get_training_or_validation_split):
// the last trunc(validationSplit * n) of the (shuffled) order are validation.
describe('splitIndices', () => {
  it.each([
    // count, validationSplit, training, validation (unshuffled: the order is 0..n-1)
    [10, 0.2, [0, 1, 2, 3, 4, 5, 6, 7], [8, 9]],
    [7, 0.3, [0, 1, 2, 3, 4], [5, 6]], // trunc(2.1) = 2
    [5, 0, [0, 1, 2, 3, 4], []],
    [3, 0.99, [0], [1, 2]], // trunc(2.97) = 2
    [0, 0.5, [], []],
  ])('%d files, split %d, no shuffle', (count, split, training, validation) => {
    expect(splitIndices(count, split, false, 1)).toEqual({ training, validation });
  });
  it.each([
    [10, 0.2],
    [37, 0.25],
    [5, 0.5],
  ])('%d files, split %d, shuffled: a seeded partition with the Keras sizes, the same every call', (count, split) => {
    const a = splitIndices(count, split, true, 1337);
    const numValidation = Math.trunc(split * count);
    expect(a.validation).toHaveLength(numValidation);
    expect(a.training).toHaveLength(count - numValidation);
    expect([...a.training, ...a.validation].sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(splitIndices(count, split, true, 1337)).toEqual(a);
    // Shuffled: not the identity order (for these sizes the chance of that is < 1/100).
    expect([...a.training, ...a.validation]).not.toEqual(Array.from({ length: count }, (_, i) => i));
    expect(splitIndices(count, split, true, 1338)).not.toEqual(a);
  });
});
