import { beforeAll, describe, expect, it } from 'vitest';
import { seedCnn } from './seed-cnn.js';
import { useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('seedCnn', () => {
  it('has 97,569 parameters at 300x300 with two classes (sigmoid output)', () => {
    const m = seedCnn({ imageSize: [300, 300], numClasses: 2 });
    expect(m.countParams().total).toBe(448 + 4640 + 18496 + 73856 + 129);
    expect(m.outputShapes[0]).toEqual([null, 1]);
    expect(m.layers.at(-1)!.getConfig().activation).toBe('sigmoid');
  });
  it('uses a softmax over n > 2 classes; parameter count does not depend on image size', () => {
    const m = seedCnn({ imageSize: [32, 48], numClasses: 5 });
    expect(m.outputShapes[0]).toEqual([null, 5]);
    expect(m.layers.at(-1)!.getConfig().activation).toBe('softmax');
    expect(m.countParams().total).toBe(97_440 + 128 * 5 + 5);
  });
  it('rejects bad options', () => {
    expect(() => seedCnn({ imageSize: [0, 32], numClasses: 2 })).toThrow(/seedCnn: expected imageSize \[height, width\] of positive integers, received \[0,32\]/);
    expect(() => seedCnn({ imageSize: [32, 32], numClasses: 1 })).toThrow(/numClasses an integer >= 2, received 1/);
    // 8x8 survives the four poolings only down to 0: the shape error names the layer.
    expect(() => seedCnn({ imageSize: [8, 8], numClasses: 2 })).toThrow(/MaxPooling2D: expected an input of at least 2x2 pixels .* received \(None, 1, 1, 128\)/);
  });
});
