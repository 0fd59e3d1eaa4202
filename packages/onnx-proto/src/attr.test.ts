import { AttributeProto_AttributeType } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { attr } from './attr.js';

describe('attr: typed attributes', () => {
  it('int is INT with a bigint value', () => {
    const a = attr.int('group', 3);
    expect(a.name).toBe('group');
    expect(a.type).toBe(AttributeProto_AttributeType.INT);
    expect(a.i).toBe(3n);
  });
  it('ints is INTS, order kept, negatives allowed', () => {
    const a = attr.ints('perm', [0, 3, -1, 2]);
    expect(a.type).toBe(AttributeProto_AttributeType.INTS);
    expect(a.ints).toEqual([0n, 3n, -1n, 2n]);
  });
  it('float is FLOAT even for a whole number (which int would take)', () => {
    const a = attr.float('alpha', 1);
    expect(a.type).toBe(AttributeProto_AttributeType.FLOAT);
    expect(a.f).toBe(1);
    expect(a.i).toBe(0n);
  });
  it('string is STRING, UTF-8 bytes', () => {
    const a = attr.string('auto_pad', 'SAME_UPPER');
    expect(a.type).toBe(AttributeProto_AttributeType.STRING);
    expect(Array.from(a.s)).toEqual(Array.from('SAME_UPPER', (c) => c.charCodeAt(0)));
    expect(Array.from(attr.string('m', 'é').s)).toEqual([0xc3, 0xa9]);
  });
  it('int rejects a non-integer instead of truncating it', () => {
    expect(() => attr.int('axis', 1.5)).toThrow(RangeError);
  });
});
