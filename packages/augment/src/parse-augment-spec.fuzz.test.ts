import { cpuBackend } from '@cnnkit/backend-cpu';
import { BackendRegistry, CnnkitError, createRng, selectBackend, tf } from '@cnnkit/tensor-core';
import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentation } from './augmentation.js';
import { AUGMENT_SPEC_NAMES, MAX_CROP_PIXELS, parseAugmentSpec } from './parse-augment-spec.js';

beforeAll(async () => {
  await selectBackend({ name: 'cpu', registry: new BackendRegistry().add(cpuBackend()) });
});

const value = fc.oneof(
  fc.constantFrom('0.1', '-0.2:0.3', '1e308', '-1e308', '1', '-1', '0', '2', 'NaN', 'Infinity', '', ':', '0.1:', 'horizontal', 'vertical', 'x', '160x160', '4096x4096', '4097x1', '0x5', '100000x100000', '1:2:3'),
  fc.double().map(String),
  fc.string({ maxLength: 6 }),
);
const item = fc.oneof(
  fc.constantFrom(...Object.keys(AUGMENT_SPEC_NAMES)),
  fc.tuple(fc.constantFrom(...Object.keys(AUGMENT_SPEC_NAMES), 'shear', ''), value).map(([n, v]) => `${n}=${v}`),
  fc.string({ maxLength: 8 }),
);
const spec = fc.oneof(fc.array(item, { maxLength: 5 }).map((items) => items.join(',')), fc.string({ maxLength: 30 }));

describe('fuzz: --augment specs', () => {
  it('a crop larger than 4096 pixels a side is refused: it would resize every picture up to it', () => {
    expect(() => parseAugmentSpec('flip,crop=100000x100000')).toThrow(/^--augment "flip,crop=100000x100000": expected crop=HxW of at most 4096x4096 pixels, received "crop=100000x100000"/);
  });

  it('more than 64 items are refused', () => {
    expect(() => parseAugmentSpec(Array(65).fill('flip').join(','))).toThrow(/65 augmentations, expected at most 64/);
  });

  prop.prop([spec, fc.nat(1000)], fuzzRuns(300))('a spec parses into transforms that run on a batch, or fails with one BAD_AUGMENT_SPEC line', (text, seed) => {
    let layers;
    try {
      layers = parseAugmentSpec(text, { seed });
    } catch (error) {
      expect(error).toBeInstanceOf(CnnkitError);
      expect((error as CnnkitError).code).toBe('BAD_AUGMENT_SPEC');
      expect((error as Error).message).toMatch(/^--augment "[^\n]*$/);
      return;
    }
    const before = tf.memory().numTensors;
    const images = tf.randomUniform([2, 8, 8, 3], 0, 255, 'float32', seed) as tf.Tensor4D;
    const pipeline = augmentation(layers, { seed });
    for (const training of [true, false]) {
      const shape = pipeline.computeOutputShape([2, 8, 8, 3]);
      expect(shape.slice(1, 3).every((d) => typeof d === 'number' && d >= 1 && d <= MAX_CROP_PIXELS)).toBe(true);
      // Only small outputs are computed here: a legal 4096x4096 crop is memory, not a bug.
      if ((shape[1] as number) * (shape[2] as number) > 64 * 64) continue;
      const out = pipeline.call(images, { training, rng: createRng(seed) });
      expect(out.shape).toEqual(shape);
      const values = out.dataSync();
      expect(values.every((v) => Number.isFinite(v))).toBe(true);
      if (out !== images) out.dispose();
    }
    images.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
