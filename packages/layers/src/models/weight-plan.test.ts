import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Conv2DTranspose } from '../layers/conv2d-transpose.js';
import { Dense } from '../layers/dense.js';
import { Flatten } from '../layers/flatten.js';
import { modelFromJson } from './model-from-json.js';
import { SeparableConv2D } from '../layers/separable-conv2d.js';
import { sequentialArchitecture } from '../test-utils/architectures.js';
import { useTestBackend } from '../test-utils/setup.js';
import { plannedWeights } from './weight-plan.js';

beforeAll(useTestBackend);

describe('plannedWeights', () => {
  it.each([
    ['Conv2D', new Conv2D({ filters: 8, kernelSize: [3, 5] }), [null, 9, 9, 3], [['kernel', [3, 5, 3, 8], true], ['bias', [8], true]]],
    ['Conv2D without bias', new Conv2D({ filters: 2, kernelSize: 1, useBias: false }), [null, 4, 4, 5], [['kernel', [1, 1, 5, 2], true]]],
    ['Conv2DTranspose', new Conv2DTranspose({ filters: 4, kernelSize: 2 }), [null, 4, 4, 6], [['kernel', [2, 2, 4, 6], true], ['bias', [4], true]]],
    [
      'SeparableConv2D',
      new SeparableConv2D({ filters: 5, kernelSize: 3, depthMultiplier: 2 }),
      [null, 8, 8, 3],
      [['depthwise_kernel', [3, 3, 3, 2], true], ['pointwise_kernel', [1, 1, 6, 5], true], ['bias', [5], true]],
    ],
    ['Dense', new Dense({ units: 7 }), [null, 12], [['kernel', [12, 7], true], ['bias', [7], true]]],
    [
      'BatchNormalization',
      new BatchNormalization({ center: false }),
      [null, 4, 4, 6],
      [['gamma', [6], true], ['moving_mean', [6], false], ['moving_variance', [6], false]],
    ],
    ['BatchNormalization on axis 1', new BatchNormalization({ axis: 1 }), [null, 3, 10], [['gamma', [3], true], ['beta', [3], true], ['moving_mean', [3], false], ['moving_variance', [3], false]]],
    ['Flatten', new Flatten(), [null, 4, 4, 6], []],
  ])('%s', (_name, layer, input, expected) => {
    expect(plannedWeights(layer, [input as (number | null)[]])?.map((w) => [w.name, w.shape, w.trainable])).toEqual(expected);
  });

  it('a 1e9-filter convolution is planned, never allocated: 27e9 kernel values', () => {
    const [kernel] = plannedWeights(new Conv2D({ filters: 1e9, kernelSize: 3 }), [[null, 180, 180, 3]])!;
    expect(kernel.shape.reduce((a, b) => a * b, 1)).toBe(27e9);
  });

  // The oracle: each layer's real build creates exactly the planned weights, in order.
  prop.prop([sequentialArchitecture], fuzzRuns(60))('agrees with what every layer class really builds', (architecture) => {
    const model = modelFromJson(architecture, 'architecture');
    try {
      for (const layer of model.layers) {
        const planned = plannedWeights(layer, layer.inbound!.map((s) => s.shape))!;
        expect(planned.map((w) => [w.name, [...w.shape], w.trainable])).toEqual(layer.weights.map((w) => [w.name, w.variable.shape, w.trainable]));
      }
    } finally {
      model.dispose();
    }
  });
});
