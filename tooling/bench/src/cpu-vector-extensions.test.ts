import { describe, expect, it } from 'vitest';
import { cpuVectorExtensions } from './cpu-vector-extensions.js';

describe('cpuVectorExtensions', () => {
  it.each([
    ['flags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw', 'AVX-512'],
    ['flags\t\t: fpu sse2 avx avx2 fma', 'AVX2'],
    ['flags\t\t: fpu sse2 avx', 'AVX'],
    ['flags\t\t: fpu sse2 neon', 'none'],
    ['processor\t: 0\nFeatures\t: fp asimd', 'unknown'],
  ] as const)('%j -> %s', (cpuinfo, expected) => {
    expect(cpuVectorExtensions(cpuinfo)).toBe(expected);
  });
});
