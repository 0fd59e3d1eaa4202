import { describe, expect, it } from 'vitest';
import { createRng, Rng } from './rng.js';

// The generator against the published algorithms, re-implemented here in BigInt
// arithmetic (independent of rng.ts's Math.imul/uint32 code): xoshiro128** 1.1
// (Blackman & Vigna), seeded by splitmix32 (x += 0x9e3779b9, then murmur3's fmix32),
// FNV-1a for string seeds and labels, Box-Muller for normals, rejection sampling for
// int(n), Fisher-Yates for shuffles. Every check is exact (the same doubles).

const M = 0xffffffffn;
const u32 = (v: bigint) => v & M;
const rotl = (x: bigint, k: bigint) => u32((x << k) | (x >> (32n - k)));

function splitmix(seed: number) {
  let x = BigInt(seed >>> 0);
  return () => {
    x = u32(x + 0x9e3779b9n);
    let z = x;
    z = u32((z ^ (z >> 16n)) * 0x85ebca6bn);
    z = u32((z ^ (z >> 13n)) * 0xc2b2ae35n);
    return Number(z ^ (z >> 16n));
  };
}
function fnv1a(text: string): number {
  let h = 0x811c9dc5n;
  for (const ch of text) h = u32((h ^ BigInt(ch.charCodeAt(0))) * 0x01000193n);
  return Number(h);
}
class Reference {
  s: bigint[];
  spare: number | null = null;
  constructor(s: readonly number[]) {
    this.s = s.map(BigInt);
  }
  uint32(): number {
    const s = this.s;
    const result = u32(rotl(u32(s[1] * 5n), 7n) * 9n);
    const t = u32(s[1] << 9n);
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    return Number(result);
  }
  next(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 2 ** 26 + lo) / 2 ** 53;
  }
  int(n: number): number {
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
const seeded = (base: number) => {
  const sm = splitmix(base);
  return [sm(), sm(), sm(), sm()];
};
const at = (s: number[]) => {
  const rng = new Rng(0);
  rng.setState({ s: s as [number, number, number, number], spareNormal: null });
  return rng;
};

describe('Rng against reference xoshiro128**, splitmix32 and FNV-1a', () => {
  it.each([
    // seed, the 32-bit base: low word XOR high word for numbers, FNV-1a for strings
    [0, 0],
    [42, 42],
    [2 ** 32 + 5, 5 ^ 1],
    [3.7, 3],
    [2 ** 40 + 2 ** 33 + 7, 7 ^ (2 ** 8 + 2)],
    ['conformance:relu', fnv1a('conformance:relu')],
    ['', fnv1a('')],
  ])('seed %s seeds the state with splitmix32(%d)', (seed, base) => {
    expect(createRng(seed).getState().s).toEqual(seeded(base));
  });
  it.each([
    [[1, 2, 3, 4]],
    [[0xffffffff, 0, 0x12345678, 0x9abcdef0]],
    [seeded(7)],
  ])('uint32, next and uniform from state %j', (s) => {
    const rng = at(s);
    const ref = new Reference(s);
    for (let i = 0; i < 16; i++) expect(rng.uint32()).toBe(ref.uint32());
    for (let i = 0; i < 8; i++) expect(rng.next()).toBe(ref.next());
    for (let i = 0; i < 8; i++) expect(rng.uniform(-3, 5)).toBe(-3 + 8 * ref.next());
  });
  it('int(n) by rejection, including n = 3 * 2^30 (a quarter of draws rejected) and n = 2^32', () => {
    for (const n of [3 * 2 ** 30, 5, 2 ** 32, 1]) {
      const rng = at(seeded(11));
      const ref = new Reference(seeded(11));
      for (let i = 0; i < 64; i++) expect(rng.int(n)).toBe(ref.int(n));
    }
    for (const bad of [0, -1, 2.5, 2 ** 32 + 1, Number.NaN]) expect(() => createRng(1).int(bad)).toThrow(`Rng.int: expected an integer in 1..2^32, received ${bad}`);
  });
  it('normal (Box-Muller, the sine kept for the next call), scaled; truncatedNormal within 2 std', () => {
    const rng = at(seeded(3));
    const ref = new Reference(seeded(3));
    for (let i = 0; i < 6; i++) expect(rng.normal(1.5, 2)).toBe(1.5 + 2 * ref.normal());
    expect(rng.getState().spareNormal).toBe(ref.spare);
    const t = at(seeded(5));
    const tref = new Reference(seeded(5));
    for (let i = 0; i < 50; i++) {
      let z = tref.normal();
      while (Math.abs(z) > 2) z = tref.normal();
      expect(t.truncatedNormal(-1, 0.5)).toBe(-1 + 0.5 * z);
    }
  });
  it('shuffle and permutation are Fisher-Yates with int(i + 1)', () => {
    for (const n of [0, 1, 2, 9]) {
      const ref = new Reference(seeded(9));
      const expected = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = ref.int(i + 1);
        [expected[i], expected[j]] = [expected[j], expected[i]];
      }
      const rng = at(seeded(9));
      expect(rng.permutation(n)).toEqual(expected);
      // and it drew exactly n - 1 numbers: the stream continues where the reference's does
      expect(rng.uint32()).toBe(ref.uint32());
    }
  });
  it('fork seeds the child from s[0] XOR FNV-1a(label) and the parent state rotated by one', () => {
    const s = seeded(21);
    const sm = splitmix((s[0] ^ fnv1a('augment')) >>> 0);
    const expected = [0, 1, 2, 3].map((i) => (sm() ^ s[(i + 1) % 4]) >>> 0);
    expect(at(s).fork('augment').getState().s).toEqual(expected);
  });
  it('fillUniform and fillNormal draw in order', () => {
    const ref = new Reference(seeded(4));
    const uniform = Array.from({ length: 5 }, () => Math.fround(2 + 3 * ref.next()));
    const normal = Array.from({ length: 6 }, () => Math.fround(-1 + 0.5 * ref.normal()));
    const rng = at(seeded(4));
    expect(Array.from(rng.fillUniform(new Float32Array(5), 2, 5))).toEqual(uniform);
    expect(Array.from(rng.fillNormal(new Float32Array(6), -1, 0.5))).toEqual(normal);
    // exactly 6 normals drawn (3 pairs): the next draw is the reference's next
    expect(rng.next()).toBe(ref.next());
    // uniformTensor/normalTensor wrap these in a tensor; tensor-core's own tests have no
    // tfjs backend to make one, so the layers and augment suites cover them.
  });
  it('setState takes four uint32 values (0 and 0xffffffff included) and rejects anything else', () => {
    expect(() => at([0, 0xffffffff, 1, 2])).not.toThrow();
    for (const s of [[1, 2, 3], [1, 2, 3, 4, 5], [1, 2, 3, -1], [1, 2, 3, 2 ** 32], [1, 2, 3, 0.5], 'abcd']) {
      expect(() => new Rng(0).setState({ s: s as never, spareNormal: null })).toThrow('Rng.setState: expected { s: four uint32 numbers, spareNormal }');
    }
  });
});
