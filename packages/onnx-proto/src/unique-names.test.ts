import { describe, expect, it } from 'vitest';
import { UniqueNames } from './unique-names.js';

describe('UniqueNames', () => {
  it('hands out base, base_1, base_2 and never repeats', () => {
    const names = new UniqueNames();
    expect([names.take('a'), names.take('a'), names.take('a'), names.take('b')]).toEqual(['a', 'a_1', 'a_2', 'b']);
  });
  it('a reserved name is skipped, and so is a taken suffixed one', () => {
    const names = new UniqueNames();
    names.reserve('image');
    expect(names.has('image')).toBe(true);
    expect(names.take('image')).toBe('image_1');
    expect(names.take('x_1')).toBe('x_1');
    expect(names.take('x')).toBe('x');
    expect(names.take('x')).toBe('x_2');
  });
});
