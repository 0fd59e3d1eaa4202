import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerFromConfig } from './layer-registry.js';
import { Rescaling } from './rescaling.js';
import { expectClose, runLayer, useTestBackend } from '../test-utils/setup.js';

beforeAll(useTestBackend);

describe('Rescaling', () => {
  it('computes x * scale + offset, and takes int32 pixels', () => {
    const { y } = runLayer(new Rescaling({ scale: 1 / 127.5, offset: -1 }), tf.tensor4d([0, 127.5, 255, 51], [1, 2, 2, 1]));
    expectClose(y, [-1, 0, 1, 51 / 127.5 - 1], 1e-6);
    const { y: y2 } = runLayer(new Rescaling({ scale: 1 / 255 }), tf.tensor4d([0, 255], [1, 1, 2, 1], 'int32'));
    expect(y2.dtype).toBe('float32');
    expectClose(y2, [0, 1], 1e-7);
  });
  it('round-trips its config and requires scale', () => {
    const l = new Rescaling({ scale: 0.5, offset: 2 });
    expect(layerFromConfig(l.toSpec()).getConfig()).toEqual(l.getConfig());
    expect(() => layerFromConfig({ className: 'Rescaling', config: {} })).toThrow(/Rescaling: expected "scale" \(a number\), it is missing/);
  });
});
