import { countLeaks } from '@cnnkit/tensor-core';
import { expect, it } from 'vitest';
import { augmentation } from './augmentation.js';
import { augmentedPreviews } from './augmented-previews.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';
import { Resizing } from './resizing.js';
import { describeOnBackends } from './test-utils/backends.js';

const H = 6;
const W = 5;
const pixels = Uint8Array.from({ length: H * W * 3 }, (_, i) => (i * 37) % 256);

describeOnBackends('augmentedPreviews', () => {
  it('returns 9 HWC uint8 images, reproducible by seed, each copy with its own draws', async () => {
    const pipe = augmentation([new RandomFlip({ mode: 'horizontal' }), new RandomRotation({ factor: 0.2 })]);
    const a = await augmentedPreviews(pixels, [H, W, 3], pipe, { seed: 4 });
    const b = await augmentedPreviews(pixels, [H, W, 3], pipe, { seed: 4 });
    expect(a).toHaveLength(9);
    expect(a.every((p) => p instanceof Uint8Array && p.length === H * W * 3)).toBe(true);
    expect(a).toEqual(b);
    expect(new Set(a.map((p) => p.join())).size).toBeGreaterThan(1);
  });

  it('with an empty pipeline every preview is the image itself; values round and clip to 0..255', async () => {
    const same = await augmentedPreviews(pixels, [H, W, 3], augmentation([]), { count: 2 });
    expect(same).toEqual([pixels, pixels]);
    const bright = await augmentedPreviews(Float32Array.of(250, 3.7), [1, 1, 2], new RandomBrightness({ factor: [0.2, 0.2] }), { count: 1, seed: 1 });
    expect([...bright[0]]).toEqual([255, 55]); // + 51: 301 clipped, 54.7 rounded
  });

  it('follows a shape-changing pipeline, leaks nothing, and checks its input size', async () => {
    const { result, leaked } = await countLeaks(() => augmentedPreviews(pixels, [H, W, 3], new Resizing({ height: 2, width: 3 }), { count: 3 }));
    expect(leaked).toBe(0);
    expect(result.map((p) => p.length)).toEqual([18, 18, 18]);
    await expect(augmentedPreviews(pixels, [H, W, 4], augmentation([]))).rejects.toThrow(
      'augmentedPreviews: expected 6x5x4 = 120 values, received 90',
    );
  });
});
