import { describe, expect, it } from 'vitest';
import { CenterCrop } from './center-crop.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomContrast } from './random-contrast.js';
import { RandomCrop } from './random-crop.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';
import { RandomTranslation } from './random-translation.js';
import { RandomZoom } from './random-zoom.js';
import { Resizing } from './resizing.js';
import { serializeTransform, TRANSFORM_CLASS_NAMES, transformFromConfig, type AnyTransform, type SerializedTransform } from './transform-from-config.js';

describe('transformFromConfig', () => {
  const all: AnyTransform[] = [
    new RandomFlip({ mode: 'vertical', seed: 1 }),
    new RandomRotation({ factor: [-0.2, 0.1], fillMode: 'constant', fillValue: 9, seed: 2 }),
    new RandomZoom({ heightFactor: 0.2, widthFactor: [-0.1, 0.3], interpolation: 'nearest' }),
    new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.2, fillMode: 'nearest', seed: 3 }),
    new RandomContrast({ factor: 0.3, valueRange: [0, 1], seed: 4 }),
    new RandomBrightness({ factor: [-0.2, 0.1], seed: 5 }),
    new RandomCrop({ height: 8, width: 9, seed: 6 }),
    new CenterCrop({ height: 3, width: 4 }),
    new Resizing({ height: 5, width: 6, interpolation: 'nearest', cropToAspectRatio: true }),
  ];

  it('rebuilds every transform class from its JSON-serialized config', () => {
    expect(all.map((t) => t.className)).toEqual(TRANSFORM_CLASS_NAMES);
    for (const t of all) {
      const saved = JSON.parse(JSON.stringify(serializeTransform(t))) as SerializedTransform;
      const rebuilt = transformFromConfig(saved);
      expect(rebuilt).toBeInstanceOf(t.constructor);
      expect(rebuilt.getConfig()).toEqual(t.getConfig());
    }
  });

  it('names the known classes for an unknown one, and validates the config like the constructor', () => {
    expect(() => transformFromConfig({ className: 'RandomHue', config: {} } as never)).toThrow(
      `transformFromConfig: unknown className "RandomHue"; expected one of: ${TRANSFORM_CLASS_NAMES.join(', ')}`,
    );
    expect(() => transformFromConfig({ className: 'RandomZoom', config: { name: 'z', heightFactor: 3 } } as never)).toThrow(
      'RandomZoom: expected heightFactor to be a number or a [lower, upper] pair of numbers in [-1, 1], received 3',
    );
  });

  it('gives Keras-style default names, unique per class', () => {
    const a = new RandomFlip();
    const b = new RandomFlip();
    expect(a.name).toMatch(/^random_flip(_\d+)?$/);
    expect(b.name).not.toBe(a.name);
  });
});
