import { describe, expect, it } from 'vitest';
import { parseSaveEvery } from './save-every.js';

describe('--save-every', () => {
  it.each([
    ['500', { steps: 500 }],
    ['1', { steps: 1 }],
    ['90s', { ms: 90_000 }],
    ['10m', { ms: 600_000 }],
    ['1.5h', { ms: 5_400_000 }],
    ['epoch', { never: true }],
  ])('%s', (value, expected) => {
    expect(parseSaveEvery(value)).toEqual(expected);
  });

  it.each(['0', '-3', '10x', 'm', '0m', '2.5', ''])('rejects %j, saying what it takes', (value) => {
    expect(() => parseSaveEvery(value)).toThrow(`--save-every expects a number of steps (e.g. 500), a time (e.g. 90s, 10m, 1h) or "epoch", received "${value}"`);
  });
});
