import { fc, test as fcTest } from '@fast-check/vitest';
import { tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { FILL_MODES, type FillMode } from './fill-mode.js';
import { sampleProjective, sampleProjectiveOn } from './sample-projective.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';

const affine = fc.record({
  angle: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
  zoom: fc.double({ min: 0.5, max: 2, noNaN: true }),
  dx: fc.double({ min: -9, max: 9, noNaN: true }),
  dy: fc.double({ min: -9, max: 9, noNaN: true }),
});
const toRow = ({ angle, zoom, dx, dy }: { angle: number; zoom: number; dx: number; dy: number }) => [
  zoom * Math.cos(angle), -zoom * Math.sin(angle), dx, zoom * Math.sin(angle), zoom * Math.cos(angle), dy, 0, 0,
];

describeOnBackends('sampleArrays against the tensor sampler', () => {
  // Bilinear is continuous: the two forms round the coordinates to float32 differently,
  // which moves a value by |gradient of the image| x ulp(coordinate) — within 1e-3 on
  // these small images, up to ~1e-2 on 180 px noise (both forms are that far from a
  // float64 oracle there; the arrays form usually nearer). Nearest is checked against the
  // float64 oracle on tie-free cases in sample-projective.test.ts.
  fcTest.prop([fc.array(affine, { minLength: 3, maxLength: 3 }), fc.constantFrom<FillMode>(...FILL_MODES), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })], { numRuns: 40 })(
    'bilinear: the same values within 1e-3 for random affine maps, every fill mode, odd sizes',
    (maps, fillMode, h, w) => {
      const values = Array.from({ length: 3 * h * w * 2 }, (_, i) => ((i * 53) % 97) * 2.5 - 60);
      const images = tf.tensor4d(values, [3, h, w, 2]);
      const options = { interpolation: 'bilinear', fillMode, fillValue: -3 } as const;
      const a = sampleProjectiveOn('arrays', images, maps.map(toRow), options);
      const t = sampleProjectiveOn('tensors', images, maps.map(toRow), options);
      expectClose(a.dataSync(), t.dataSync(), 1e-3);
      tf.dispose([images, a, t]);
    },
  );

  it('a point sent to infinity (projective k = 0) reads the fill value in every fill mode, in both forms', () => {
    // k = 1 - x: output x = 1 has k = 0; x = 0 reads 0, x = 2 reads -2, x = 3 reads -1.5. Two channels.
    const row = tf.tensor4d([10, 11, 20, 21, 30, 31, 40, 41], [1, 1, 4, 2]);
    for (const fillMode of FILL_MODES) {
      for (const interpolation of ['nearest', 'bilinear'] as const) {
        const options = { interpolation, fillMode, fillValue: -5 };
        const a = sampleProjectiveOn('arrays', row, [[1, 0, 0, 0, 1, 0, -1, 0]], options);
        const t = sampleProjectiveOn('tensors', row, [[1, 0, 0, 0, 1, 0, -1, 0]], options);
        expect([a.dataSync()[2], a.dataSync()[3]], `${fillMode} ${interpolation}`).toEqual([-5, -5]);
        expectClose(a.dataSync(), t.dataSync(), 1e-5);
        tf.dispose([a, t]);
      }
    }
    row.dispose();
  });

  it('is what sampleProjective runs outside gradient recording; while gradients are recorded the tensor form runs (a copy read from memory would leave the tape)', () => {
    const images = tf.tensor4d(Array.from({ length: 2 * 5 * 5 }, (_, i) => (i * 7) % 11 + 0.25), [2, 5, 5, 1]);
    const maps = [toRow({ angle: 0.3, zoom: 1, dx: 0.7, dy: -0.2 }), toRow({ angle: -1.1, zoom: 1.3, dx: 1, dy: 2 })];
    const options = { interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0 } as const;
    const bits = (t: tf.Tensor) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
    const arrays = sampleProjectiveOn('arrays', images, maps, options);
    const tensors = sampleProjectiveOn('tensors', images, maps, options);
    // The two forms differ in the last bits somewhere here, or this test could not tell them apart.
    expect(bits(arrays)).not.toEqual(bits(tensors));
    const auto = sampleProjective(images, maps, options);
    expect(bits(auto)).toEqual(bits(arrays));
    let recorded: number[] = [];
    const scale = tf.scalar(2);
    tf.grad((s: tf.Tensor) => {
      const out = sampleProjective(images, maps, options);
      recorded = bits(out);
      return tf.sum(tf.mul(out, s));
    })(scale).dispose();
    expect(recorded).toEqual(bits(tensors));
    tf.dispose([images, arrays, tensors, auto, scale]);
  });
});
