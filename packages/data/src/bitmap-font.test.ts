import { describe, expect, it } from 'vitest';
import { renderBitmapText } from './bitmap-font.js';

const picture = (m: { data: Uint8Array; width: number; height: number }) =>
  Array.from({ length: m.height }, (_, y) => Array.from(m.data.subarray(y * m.width, (y + 1) * m.width), (v) => (v ? '#' : '.')).join(''));

describe('renderBitmapText', () => {
  it('draws letters as 5x7 glyphs with one column between them; lower case as upper', () => {
    expect(picture(renderBitmapText('iT'))).toEqual([
      '.###..#####',
      '..#.....#..',
      '..#.....#..',
      '..#.....#..',
      '..#.....#..',
      '..#.....#..',
      '.###....#..',
    ]);
  });

  it('scales each font pixel to scale x scale and draws unknown characters as ?', () => {
    const m = renderBitmapText('é', 2);
    expect([m.width, m.height]).toEqual([10, 14]);
    expect(picture(m).slice(0, 2)).toEqual(['..######..', '..######..']);
  });
});
