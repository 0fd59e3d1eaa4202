import { CenterCrop, RandomCrop, Resizing } from '@cnnkit/augment';
import { tf } from '@cnnkit/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { aspectCropWindow } from './emit-resizing.js';
import { chain, expectOnnxMatchesReference, layer, rng, useWasmReference } from './test-utils/harness.js';
import { runKerasReference } from './test-utils/keras-reference.js';

beforeAll(useWasmReference);

describe('aspectCropWindow', () => {
  it.each([
    [10, 20, 5, 5, { top: 0, left: 5, height: 10, width: 10 }],
    [20, 10, 4, 8, { top: 7, left: 0, height: 5, width: 10 }],
    [9, 9, 3, 3, { top: 0, left: 0, height: 9, width: 9 }],
    [7, 9, 2, 3, { top: 0, left: 0, height: 6, width: 9 }],
  ])('%i x %i to the aspect of %i x %i', (h, w, th, tw, expected) => {
    expect(aspectCropWindow(h, w, th, tw)).toEqual(expected);
  });
});

describe('Resizing, CenterCrop, RandomCrop (inference) -> Slice + Resize', () => {
  const cases: [string, [number, number], string, Record<string, unknown>][] = [
    ['Resizing bilinear down (odd ratio)', [13, 11], 'Resizing', { height: 5, width: 7 }],
    ['Resizing bilinear up', [5, 6], 'Resizing', { height: 9, width: 13 }],
    ['Resizing nearest down', [13, 11], 'Resizing', { height: 5, width: 7, interpolation: 'nearest' }],
    ['Resizing nearest up', [5, 6], 'Resizing', { height: 9, width: 13, interpolation: 'nearest' }],
    ['Resizing cropToAspectRatio', [12, 20], 'Resizing', { height: 6, width: 6, cropToAspectRatio: true }],
    ['CenterCrop larger image', [11, 12], 'CenterCrop', { height: 6, width: 5 }],
    ['CenterCrop smaller image (aspect crop + resize)', [5, 8], 'CenterCrop', { height: 6, width: 6 }],
    ['RandomCrop at inference', [12, 9], 'RandomCrop', { height: 6, width: 6, seed: 3 }],
  ];
  it.each(cases)('%s matches the tfjs reference within 1e-4', async (_label, size, className, config) => {
    await expectOnnxMatchesReference(chain([size[0], size[1], 3], [layer('pre', className, [], config)]));
  });
  it('runs at opset 13 (no Shape start/end, no Resize axes)', async () => {
    await expectOnnxMatchesReference(chain([12, 20, 3], [layer('pre', 'Resizing', [], { height: 6, width: 6, cropToAspectRatio: true })]), { opset: 13 });
  });

  it('the reference equals @cnnkit/augment at inference (the layers cnnkit trains with)', async () => {
    const r = rng('augment-agree');
    const transforms = [
      new Resizing({ height: 5, width: 7 }),
      new Resizing({ height: 9, width: 13, interpolation: 'nearest' }),
      new Resizing({ height: 6, width: 6, cropToAspectRatio: true }),
      new CenterCrop({ height: 6, width: 5 }),
      new CenterCrop({ height: 14, width: 14 }),
      new RandomCrop({ height: 6, width: 6, seed: 1 }),
    ];
    for (const t of transforms) {
      const data = r.fillUniform(new Float32Array(2 * 12 * 10 * 3), 0, 255);
      const model = { inputShape: [12, 10, 3] as [number, number, number], layers: [layer('input', 'InputLayer', []), layer('t', t.className, ['input'], { ...t.getConfig() })], outputs: ['t'], classNames: [] };
      const expected = await runKerasReference(model, data, [2, 12, 10, 3]);
      const out = t.call(tf.tensor4d(data, [2, 12, 10, 3]), { training: false });
      const actual = await out.data();
      expect(actual.length, t.className).toBe(expected.length);
      let max = 0;
      for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
      expect(max, `${t.className} ${JSON.stringify(t.getConfig())}`).toBeLessThanOrEqual(1e-4);
    }
  });
});
