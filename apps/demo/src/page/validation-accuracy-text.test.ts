import { describe, expect, it } from 'vitest';
import { validationAccuracyText } from './validation-accuracy-text.js';

describe('validationAccuracyText', () => {
  it('shows the recorded accuracy to a tenth of a percent, and the held-out count where known', () => {
    expect(validationAccuracyText({ accuracy: 0.955, images: 200 })).toBe('validation accuracy 95.5% on 200 held-out pictures');
    expect(validationAccuracyText({ accuracy: 0.975, images: null })).toBe('validation accuracy 97.5%');
    expect(validationAccuracyText({ accuracy: 1, images: null })).toBe('validation accuracy 100.0%');
  });

  it('says unknown when nothing was recorded', () => {
    expect(validationAccuracyText({ accuracy: null, images: null })).toBe('validation accuracy unknown');
  });
});
