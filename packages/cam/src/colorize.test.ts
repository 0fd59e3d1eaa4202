import { describe, expect, it } from 'vitest';
import { COLORMAP_NAMES, colorize, type ColormapName } from './colorize.js';

describe('colorize', () => {
  // Endpoints of matplotlib's published tables (lib/matplotlib/_cm_listed.py): entries 0 and 255, times 255, rounded.
  const endpoints: Record<ColormapName, [number[], number[]]> = {
    viridis: [[0.267004, 0.004874, 0.329415], [0.993248, 0.906157, 0.143936]],
    inferno: [[0.001462, 0.000466, 0.013866], [0.988362, 0.998364, 0.644924]],
    turbo: [[0.18995, 0.07176, 0.23217], [0.4796, 0.01583, 0.01055]],
  };
  it.each(COLORMAP_NAMES)('%s maps 0 and 1 to the table endpoints', (name) => {
    const [lo, hi] = endpoints[name];
    expect(Array.from(colorize([0, 1], name))).toEqual([...lo, ...hi].map((v) => Math.round(v * 255)));
  });

  it('clamps out-of-range values, reads NaN as 0, and picks entry round(v · 255)', () => {
    const rgb = colorize([-1, 2, Number.NaN, 0.5], 'viridis');
    expect(Array.from(rgb.slice(0, 3))).toEqual(Array.from(colorize([0], 'viridis')));
    expect(Array.from(rgb.slice(3, 6))).toEqual(Array.from(colorize([1], 'viridis')));
    expect(Array.from(rgb.slice(6, 9))).toEqual(Array.from(colorize([0], 'viridis')));
    // round(0.5 · 255) = 128; entry 128 of viridis is [0.127568, 0.566949, 0.550556]
    expect(Array.from(rgb.slice(9, 12))).toEqual([33, 145, 140]);
  });

  it('names the colour maps it has when given another', () => {
    expect(() => colorize([0], 'jet' as ColormapName)).toThrow(/expected colormap one of viridis, turbo, inferno, received "jet"/);
  });
});
