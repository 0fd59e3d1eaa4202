import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FLAG_MAXIMA } from './options.js';
import { parseTrainConfig } from './train-config.js';
import { UserError } from './user-error.js';

const good = { imageSize: [180, 180], batchSize: 32, epochs: 25, validationSplit: 0.2, seed: 1337, augment: 'flip,rotate=0.1', model: 'seed-cnn', optimizer: 'rmsprop', lr: 0.001 };

const hostile = fc.oneof(
  fc.constantFrom<unknown>(1e9, -1, 0, 0.5, 1e308, '', '../../x', '/dev/zero', null, [], {}, [0, 0], [1e9, 1], 'adam', '__proto__', true),
  fc.jsonValue({ maxDepth: 1 }),
);
const edited = fc.record({ key: fc.constantFrom(...Object.keys(good), '__proto__', 'extra'), value: hostile }).map(({ key, value }) => ({ ...good, [key]: value }));

describe('train-config.json for --resume', () => {
  it('reads back what train writes', () => {
    expect(parseTrainConfig(JSON.stringify(good), 'c.json')).toEqual(good);
  });

  it.each<[string, unknown, RegExp]>([
    ['a batch size over the flag\'s maximum', { ...good, batchSize: 1e9 }, /"c\.json" has "batchSize" 1000000000: --batch-size expects at most 4096, received "1000000000"; start a new run/],
    ['an image size that is not two numbers', { ...good, imageSize: [180] }, /"c\.json" has "imageSize" \[180\], expected \[height, width\]/],
    ['a relative model path', { ...good, model: '../../x.json' }, /has "model" "\.\.\/\.\.\/x\.json", expected "seed-cnn" or the absolute path of an architecture file/],
    ['an optimizer inherited from Object.prototype', { ...good, optimizer: 'constructor' }, /has "optimizer" "constructor", expected one of rmsprop, adam, adamw, sgd/],
    ['a learning rate as a string', { ...good, lr: '0.1' }, /has "lr" "0\.1", expected a number \(as --lr takes\)/],
  ])('refuses %s in one line', (_name, value, message) => {
    expect(() => parseTrainConfig(JSON.stringify(value), 'c.json')).toThrow(message);
  });

  prop.prop([edited], fuzzRuns(300))('a hostile field gives a config within every flag\'s range, or one UserError naming the file', (config) => {
    let result;
    try {
      result = parseTrainConfig(JSON.stringify(config), 'c.json');
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(/^train --resume: "c\.json" [^\n]*; start a new run with another --out$/);
      return;
    }
    expect(result.batchSize).toBeLessThanOrEqual(FLAG_MAXIMA['--batch-size']);
    expect(result.epochs).toBeLessThanOrEqual(FLAG_MAXIMA['--epochs']);
    expect(result.imageSize.every((d) => d >= 1 && d <= 4096)).toBe(true);
    expect(result.validationSplit >= 0 && result.validationSplit < 1).toBe(true);
    expect(result.model === 'seed-cnn' || result.model.startsWith('/')).toBe(true);
  });
});
