import { describe, expect, it } from 'vitest';
import { parseAugmentSpec } from './parse-augment-spec.js';

const summary = (spec: string) => parseAugmentSpec(spec, { seed: 10 }).map((t) => ({ className: t.className, config: { ...t.getConfig(), name: undefined } }));

describe('parseAugmentSpec', () => {
  it.each([
    ['flip,rotate=0.1,zoom=0.2', [
      { className: 'RandomFlip', config: { name: undefined, mode: 'horizontal', seed: 10 } },
      { className: 'RandomRotation', config: { name: undefined, factor: 0.1, fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, seed: 11 } },
      { className: 'RandomZoom', config: { name: undefined, heightFactor: 0.2, widthFactor: null, fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, seed: 12 } },
    ]],
    [' flip=horizontal_and_vertical , rotate=-0.05:0.1 ', [
      { className: 'RandomFlip', config: { name: undefined, mode: 'horizontal_and_vertical', seed: 10 } },
      { className: 'RandomRotation', config: { name: undefined, factor: [-0.05, 0.1], fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, seed: 11 } },
    ]],
    ['translate=0.1,contrast=0.2,brightness,crop=160x150', [
      { className: 'RandomTranslation', config: { name: undefined, heightFactor: 0.1, widthFactor: 0.1, fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, seed: 10 } },
      { className: 'RandomContrast', config: { name: undefined, factor: 0.2, valueRange: [0, 255], seed: 11 } },
      { className: 'RandomBrightness', config: { name: undefined, factor: 0.1, valueRange: [0, 255], seed: 12 } },
      { className: 'RandomCrop', config: { name: undefined, height: 160, width: 150, seed: 13 } },
    ]],
    ['', []],
    ['none', []],
  ])('%j', (spec, expected) => {
    expect(summary(spec)).toEqual(expected);
  });

  it('rejects an unknown name listing the known ones', () => {
    expect(() => parseAugmentSpec('flip,shear=0.2')).toThrow(
      /^--augment "flip,shear=0.2": unknown augmentation "shear"; known: flip\[=horizontal\|vertical\|horizontal_and_vertical\] \(default horizontal\), rotate=F .*crop=HxW/,
    );
  });

  it.each([
    ['rotate=abc', 'expected rotate=NUMBER or rotate=LO:HI, received "rotate=abc"'],
    ['zoom=0.1:0.2:0.3', 'expected zoom=NUMBER or zoom=LO:HI, received "zoom=0.1:0.2:0.3"'],
    ['flip=diagonal', 'expected flip=horizontal|vertical|horizontal_and_vertical, received "flip=diagonal"'],
    ['crop=160', 'expected crop=HxW such as crop=160x160, received "crop=160"'],
    ['zoom=2', '"zoom=2" is out of range (RandomZoom: expected heightFactor to be a number or a [lower, upper] pair of numbers in [-1, 1], received 2)'],
  ])('rejects %j with a clear message', (spec, message) => {
    expect(() => parseAugmentSpec(spec)).toThrow(message);
    try {
      parseAugmentSpec(spec);
    } catch (error) {
      expect((error as { code: string }).code).toBe('BAD_AUGMENT_SPEC');
    }
  });
});
