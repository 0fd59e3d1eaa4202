import { countLeaks, tf } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { zoomTransform } from './affine.js';
import { RandomZoom } from './random-zoom.js';
import { describeOnBackends, expectClose } from './test-utils/backends.js';
import { referenceSample } from './test-utils/reference-sampler.js';
import { replay } from './test-utils/replay.js';

const VALUES = Array.from({ length: 3 * 4 * 4 * 1 }, (_, i) => (i * 13) % 50);
const images = () => tf.tensor4d(VALUES, [3, 4, 4, 1]);

describeOnBackends('RandomZoom', () => {
  it('zooming by [-0.5, -0.5] (in, 2x) reads the centre 2x2 region, hand-computed', () => {
    // 4x4 ramp 0..15: output x reads 0.5 x + 0.75, so row 0 reads 0.75, 1.25, 1.75, 2.25
    const ramp = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);
    const out = new RandomZoom({ heightFactor: [-0.5, -0.5], seed: 1 }).call(ramp, { training: true });
    const row = (r: number) => [0.75, 1.25, 1.75, 2.25].map((x) => 4 * (0.5 * r + 0.75) + x);
    expectClose(out.dataSync(), [0, 1, 2, 3].flatMap(row), 1e-4);
    tf.dispose([ramp, out]);
  });

  it('matches the float64 reference for the zooms drawn, with and without a separate width factor (|diff| <= 1e-3)', () => {
    const x = images();
    for (const widthFactor of [null, [-0.3, 0.6] as const]) {
      const zoom = new RandomZoom({ heightFactor: 0.4, widthFactor, fillMode: 'wrap', seed: 17 });
      const draws = replay(zoom.getRngState());
      const transforms = [0, 1, 2].map(() => {
        const zy = 1 + draws.uniform(-0.4, 0.4);
        const zx = widthFactor === null ? zy : 1 + draws.uniform(-0.3, 0.6);
        return zoomTransform(zy, zx, 4, 4);
      });
      const out = zoom.call(x, { training: true });
      expectClose(out.dataSync(), referenceSample(VALUES, [3, 4, 4, 1], transforms, 'bilinear', 'wrap', 0), 1e-3);
      out.dispose();
    }
    x.dispose();
  });

  it('is identity at inference and for factor 0, reproducible, leak-free, and validates [-1, 1]', async () => {
    const x = images();
    expect(new RandomZoom({ heightFactor: 0.2 }).call(x, { training: false })).toBe(x);
    const still = new RandomZoom({ heightFactor: 0, seed: 1 }).call(x, { training: true });
    expectClose(still.dataSync(), x.dataSync(), 1e-4);
    const a = new RandomZoom({ heightFactor: 0.3, seed: 2 }).call(x, { training: true });
    const b = new RandomZoom({ heightFactor: 0.3, seed: 2 }).call(x, { training: true });
    expect(a.dataSync()).toEqual(b.dataSync());
    const { result, leaked } = await countLeaks(() => new RandomZoom({ heightFactor: 0.3, seed: 2 }).call(x, { training: true }));
    expect(leaked).toBe(0);
    tf.dispose([x, still, a, b, result]);
    expect(() => new RandomZoom({ heightFactor: 1.5 })).toThrow(
      'RandomZoom: expected heightFactor to be a number or a [lower, upper] pair of numbers in [-1, 1], received 1.5',
    );
    const z = new RandomZoom({ heightFactor: [0.1, -0.2], seed: 1, name: 'z' });
    expect(RandomZoom.fromConfig(JSON.parse(JSON.stringify(z.getConfig()))).getConfig()).toEqual(z.getConfig());
  });
});
