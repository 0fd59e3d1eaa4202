import { describe, expect, it } from 'vitest';
import type { CamResult } from './compute-cam.js';
import { camTitle, contactSheetTitles } from './contact-sheet.js';

const cam = (classIndex: number, score: number) => ({ classIndex, score }) as CamResult;

describe('contactSheetTitles', () => {
  it('titles each overlay with its class name and probability, as the preview grid titles by class name', () => {
    const items = [
      { cam: cam(0, 1), title: 'a.jpg' },
      { cam: cam(1, 0.9734), title: 'b.png' },
    ];
    expect(contactSheetTitles(items, ['cat', 'dog'])).toEqual(['a.jpg', 'cat: 100.0%', 'b.png', 'dog: 97.3%']);
  });

  it.each([
    [0, 0.5, 'cat: 50.0%'],
    [1, 0.99949, 'dog: 99.9%'],
    [1, 0.9995, 'dog: 100.0%'],
    [3, 0.2, 'class 3: 20.0%'],
  ])('camTitle: class %i at %f is "%s"', (classIndex, score, title) => {
    expect(camTitle(cam(classIndex, score), ['cat', 'dog'])).toBe(title);
  });

  it('falls back to the class index without names (or a name missing for that index)', () => {
    expect(contactSheetTitles([{ cam: cam(2, 0.5), title: 'x' }], ['cat', 'dog'])).toEqual(['x', 'class 2: 50.0%']);
    expect(contactSheetTitles([{ cam: cam(0, 0.25), title: 'x' }])).toEqual(['x', 'class 0: 25.0%']);
  });
});
