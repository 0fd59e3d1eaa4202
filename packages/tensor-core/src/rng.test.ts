import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';

describe('Rng', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = createRng(1337);
    const b = createRng(1337);
    const c = createRng(1338);
    const draw = (r: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => r.uint32());
    const da = draw(a);
    expect(draw(b)).toEqual(da);
    expect(draw(c)).not.toEqual(da);
  });

  it('next() is uniform on [0, 1): mean 1/2 and variance 1/12 within 4 standard errors', () => {
    const r = createRng('uniform');
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      expect(v >= 0 && v < 1).toBe(true);
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(1e-3);
  });

  it('normal() has mean 0 and standard deviation 1 (within 4 standard errors)', () => {
    const r = createRng(3);
    const n = 100_000;
    const xs = Array.from({ length: n }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sd - 1)).toBeLessThan(0.01);
  });

  it('int(n) is unbiased over a non-power-of-two range (chi-square, 5 bins)', () => {
    const r = createRng(9);
    const counts = [0, 0, 0, 0, 0];
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[r.int(5)]++;
    const chi2 = counts.reduce((a, c) => a + (c - n / 5) ** 2 / (n / 5), 0);
    expect(chi2).toBeLessThan(18.47); // p = 0.001 for 4 degrees of freedom
  });

  it('permutation is a permutation; state restore replays the same draws exactly', () => {
    const r = createRng(5);
    const p = r.permutation(100);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    r.normal(); // leaves a spare normal in the state
    const saved = r.getState();
    const after = [r.normal(), r.uint32(), r.next()];
    r.setState(JSON.parse(JSON.stringify(saved)));
    expect([r.normal(), r.uint32(), r.next()]).toEqual(after);
  });

  it('fork gives label-dependent streams and does not advance the parent', () => {
    const r = createRng(11);
    const state = r.getState();
    const f1 = r.fork('dropout');
    const f2 = r.fork('augment');
    expect(r.getState()).toEqual(state);
    expect(f1.uint32()).not.toBe(f2.uint32());
    expect(createRng(11).fork('dropout').uint32()).toBe(createRng(11).fork('dropout').uint32());
  });

  it('rejects bad seeds and bad ranges with the expectation in the message', () => {
    expect(() => createRng(Number.NaN)).toThrow('Rng: expected a finite number or a string as seed, received NaN');
    expect(() => createRng(1).int(0)).toThrow('Rng.int: expected an integer in 1..2^32, received 0');
  });
});
