import { tf } from '@cnnkit/tensor-core';
import { describe, expect, it } from 'vitest';
import { rotationTransform, zoomTransform } from './affine.js';
import { RandomRotation } from './random-rotation.js';
import { RandomZoom } from './random-zoom.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { referenceSample } from './test-utils/reference-sampler.js';
import { replay } from './test-utils/replay.js';

// Rotation and zoom on images whose height and width differ. On a square image a
// height/width swap is invisible, and the other suites take their matrices from
// affine.ts itself; here every matrix and every expected pixel is derived in the test.
//
// A transform maps an output pixel (x, y) to the input point it reads (TF's
// ImageProjectiveTransformV3): x_in = a0 x + a1 y + a2, y_in = b0 x + b1 y + b2.
// Keras rotates and zooms about the image centre ((w - 1) / 2, (h - 1) / 2), so the
// offsets follow from "the centre maps to itself": offset = centre - L · centre for
// the linear part L. That is the derivation used below, not Keras's written-out
// offsets (which are the same numbers).

/** [a0, a1, a2, b0, b1, b2, 0, 0] with L = [[a0, a1], [b0, b1]] fixing the centre of an h x w image. */
function aboutCentre([a0, a1, b0, b1]: [number, number, number, number], h: number, w: number): number[] {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  return [a0, a1, cx - (a0 * cx + a1 * cy), b0, b1, cy - (b0 * cx + b1 * cy), 0, 0];
}
const rotation = (angle: number, h: number, w: number) =>
  aboutCentre([Math.cos(angle), -Math.sin(angle), Math.sin(angle), Math.cos(angle)], h, w);
const zoom = (zy: number, zx: number, h: number, w: number) => aboutCentre([zx, 0, 0, zy], h, w);

describe('transform matrices of non-square images (exact up to 1e-12)', () => {
  it.each([
    // angle, h, w
    [0.3, 5, 8],
    [-1.1, 5, 8],
    [Math.PI / 2, 5, 7],
    [2.5, 9, 4],
  ])('rotationTransform(%d, h=%d, w=%d) fixes the centre', (angle, h, w) => {
    expectClose(rotationTransform(angle, h, w), rotation(angle, h, w), 1e-12);
  });
  it.each([
    // zoomY, zoomX, h, w
    [0.5, 0.5, 5, 8],
    [1.4, 0.7, 5, 8],
    [0.8, 1.3, 9, 4],
  ])('zoomTransform(zy=%d, zx=%d, h=%d, w=%d) fixes the centre', (zy, zx, h, w) => {
    expectClose(zoomTransform(zy, zx, h, w), zoom(zy, zx, h, w), 1e-12);
  });
  it('hand-computed: a quarter turn of a 5 (high) x 7 (wide) image reads x_in = 5 - y, y_in = x - 1', () => {
    // centre (3, 2): x_in = -(y - 2) + 3, y_in = (x - 3) + 2
    expectClose(rotationTransform(Math.PI / 2, 5, 7), [0, -1, 5, 1, 0, -1, 0, 0], 1e-12);
  });
});

describeOnBackends('RandomRotation and RandomZoom on non-square images', () => {
  const H = 5;
  const W = 7;
  // in(y, x) = 10 y + x: every pixel says where it came from.
  const ramp = () => tf.tensor4d(Array.from({ length: H * W }, (_, i) => 10 * Math.floor(i / W) + (i % W)), [1, H, W, 1]);

  it('a quarter turn of a 5x7 image, pixel by pixel by hand (nearest, constant fill -1, |diff| <= 1e-4)', () => {
    // out(y, x) = in(x - 1, 5 - y) where 0 <= x - 1 < 5, else the fill: columns 0 and 6 are fill.
    const expected: number[] = [];
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expected.push(x >= 1 && x <= 5 ? 10 * (x - 1) + (5 - y) : -1);
    const x = ramp();
    const out = new RandomRotation({ factor: [0.25, 0.25], interpolation: 'nearest', fillMode: 'constant', fillValue: -1, seed: 1 }).call(x, { training: true });
    expect(out.shape).toEqual([1, H, W, 1]);
    expectClose(out.dataSync(), expected, 1e-4);
    tf.dispose([x, out]);
  });

  it('zooming in 2x on a 5x7 image reads the centre: out(y, x) = in(y / 2 + 1, x / 2 + 1.5), bilinear on a ramp is exact (|diff| <= 1e-4)', () => {
    // z = 1 + (-0.5): centre (3, 2) -> x_in = 0.5 x + 1.5, y_in = 0.5 y + 1; the ramp is
    // linear, so bilinear sampling returns 10 y_in + x_in exactly.
    const expected: number[] = [];
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expected.push(10 * (0.5 * y + 1) + (0.5 * x + 1.5));
    const x = ramp();
    const out = new RandomZoom({ heightFactor: [-0.5, -0.5], seed: 1 }).call(x, { training: true });
    expectClose(out.dataSync(), expected, 1e-4);
    tf.dispose([x, out]);
  });

  it('heightFactor zooms rows and widthFactor columns: zoom 2x in height only on a 5x7 ramp (|diff| <= 1e-4)', () => {
    // zy = 0.5, zx = 1: x_in = x, y_in = 0.5 y + 1.
    const expected: number[] = [];
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expected.push(10 * (0.5 * y + 1) + x);
    const x = ramp();
    const out = new RandomZoom({ heightFactor: [-0.5, -0.5], widthFactor: [0, 0], seed: 1 }).call(x, { training: true });
    expectClose(out.dataSync(), expected, 1e-4);
    tf.dispose([x, out]);
  });

  it('random angles and zooms on a 2x5x8x2 batch match the float64 reference with centre-fixing matrices (|diff| <= 1e-3)', () => {
    const shape: [number, number, number, number] = [2, 5, 8, 2];
    const values = Array.from({ length: 2 * 5 * 8 * 2 }, (_, i) => (i * 29) % 97);
    const x = tf.tensor4d(values, shape);
    for (const fillMode of ['reflect', 'constant'] as const) {
      const rotate = new RandomRotation({ factor: 0.2, fillMode, fillValue: 3, seed: 21 });
      const draws = replay(rotate.getRngState());
      const angles = [draws.uniform(-0.2, 0.2), draws.uniform(-0.2, 0.2)].map((f) => f * 2 * Math.PI);
      const rotated = rotate.call(x, { training: true });
      expectClose(rotated.dataSync(), referenceSample(values, shape, angles.map((a) => rotation(a, 5, 8)), 'bilinear', fillMode, 3), 1e-3);

      const zoomer = new RandomZoom({ heightFactor: 0.4, widthFactor: [-0.3, 0.6], fillMode, fillValue: 3, seed: 17 });
      const zd = replay(zoomer.getRngState());
      const zooms = [0, 1].map(() => {
        const zy = 1 + zd.uniform(-0.4, 0.4);
        return zoom(zy, 1 + zd.uniform(-0.3, 0.6), 5, 8);
      });
      const zoomed = zoomer.call(x, { training: true });
      expectClose(zoomed.dataSync(), referenceSample(values, shape, zooms, 'bilinear', fillMode, 3), 1e-3);
      tf.dispose([rotated, zoomed]);
    }
    x.dispose();
  });
});
