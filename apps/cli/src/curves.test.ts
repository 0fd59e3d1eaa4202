import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { curvesSvg, niceTicks, writeCurves } from './curves.js';
import { tempDir } from './test-utils/cnnkit.js';

describe('niceTicks', () => {
  it.each([
    [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0, 0.7, 5, [0, 0.2, 0.4, 0.6]],
    [1, 10, 6, [2, 4, 6, 8, 10]],
    [0.3, 0.9, 5, [0.4, 0.6, 0.8]],
    [2, 2, 5, [2]],
  ])('[%d, %d] in about %d steps -> %j', (lo, hi, count, expected) => {
    expect(niceTicks(lo, hi, count)).toEqual(expected);
  });
});

describe('curves', () => {
  const history = { loss: [0.69, 0.5, 0.4], val_loss: [0.7, 0.55, Number.NaN], accuracy: [0.5, 0.7, 0.8], val_accuracy: [0.5, 0.65, 0.75] };

  it('draws both panels with titles, axis labels, a legend and one line per series', () => {
    const svg = curvesSvg(history);
    for (const text of ['>Loss<', '>Accuracy<', '>epoch<', '>training<', '>validation<']) expect(svg).toContain(text);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    // A NaN epoch is a gap, not a point: validation loss has 2 markers, the others 3.
    expect(svg.match(/<circle /g)).toHaveLength(3 + 2 + 3 + 3);
    expect(svg).not.toContain('NaN');
  });

  it('writes a PNG with ink on it', async () => {
    const file = join(await tempDir('curves'), 'curves.png');
    await writeCurves(file, history);
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([840, 300]);
    expect(data.some((v) => v < 100)).toBe(true);
  });
});
