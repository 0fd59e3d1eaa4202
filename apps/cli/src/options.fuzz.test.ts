import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { InvalidArgumentError } from 'commander';
import { describe, expect } from 'vitest';
import { FLAG_MAXIMA, fraction, imageSize, nonNegativeInt, positiveInt, positiveNumber } from './options.js';

/** Strings a user (or a script) types where a number belongs. */
const flagText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 10_000_000 }).map(String),
  fc.double().map(String),
  fc.constantFrom('1e9', '1e300', '0x10', '0b11', ' 8 ', '', ' ', 'Infinity', '-0', '00012', '1.0', '4096', '4097', '180x240', '0x0', '4096x4096', '9007199254740993', 'NaN'),
);

// The oracle is the flag's contract stated once more: the value it returns, or a one-line
// InvalidArgumentError that names the flag and quotes what came in.
function expectContract<T>(flag: string, parse: (v: string) => T, text: string, valid: (v: T) => boolean): void {
  let result: T;
  try {
    result = parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain(flag);
    expect((error as Error).message).toContain(`"${text}"`);
    return;
  }
  expect(valid(result), `${flag} ${JSON.stringify(text)} gave ${JSON.stringify(result)}`).toBe(true);
}

const counts = Object.keys(FLAG_MAXIMA).filter((f) => f !== '--image-size');

describe('fuzz: numeric CLI flags', () => {
  prop.prop([fc.constantFrom(...counts), flagText], fuzzRuns(300))('count flags return a positive integer within the flag\'s maximum, or say why not', (flag, text) => {
    expectContract(flag, positiveInt(flag), text, (n) => Number.isSafeInteger(n) && n >= 1 && n <= FLAG_MAXIMA[flag] && n === Number(text));
  });

  prop.prop([flagText], fuzzRuns(200))('--seed returns a non-negative safe integer, or says why not', (text) => {
    expectContract('--seed', nonNegativeInt('--seed'), text, (n) => Number.isSafeInteger(n) && n >= 0);
  });

  prop.prop([flagText], fuzzRuns(200))('--lr returns a positive finite number, or says why not', (text) => {
    expectContract('--lr', positiveNumber('--lr'), text, (n) => Number.isFinite(n) && n > 0);
  });

  prop.prop([flagText], fuzzRuns(200))('--validation-split returns a fraction in [0, 1), or says why not', (text) => {
    expectContract('--validation-split', fraction('--validation-split'), text, (n) => n >= 0 && n < 1);
  });

  prop.prop([fc.oneof(flagText, fc.tuple(fc.nat(5000), fc.nat(5000)).map(([h, w]) => `${h}x${w}`))], fuzzRuns(200))(
    '--image-size returns [height, width] of 1..4096 pixels, or says why not',
    (text) => {
      expectContract('--image-size', imageSize, text, ([h, w]) => [h, w].every((d) => Number.isInteger(d) && d >= 1 && d <= 4096));
    },
  );
});
