import { CnnkitError } from '@cnnkit/tensor-core';
import { fuzzRuns } from '@cnnkit/vitest-config/fuzz';
import { fc, it as prop } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { mutatedBytes, mutatedJson, safetensorsBytes, safetensorsHeaderJson } from '../test-utils/hostile-json.js';
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader, type StoredTensor } from './safetensors.js';

const tensor = fc
  .array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 })
  .chain((shape) =>
    fc
      .float32Array({ minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
      .map((data): StoredTensor => ({ shape, data })),
  );
const tensors = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }).filter((n) => n !== '__metadata__'), tensor), { selector: ([n]) => n, maxLength: 5 });
const metadata = fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 });

/** What any accepted file must satisfy, whatever its bytes (an empty tensor may sit at any boundary). */
function expectConsistent(bytes: Uint8Array, decoded: ReturnType<typeof decodeSafetensors>): void {
  const { dataStart, entries } = readSafetensorsHeader(bytes, 'f');
  let covered = 0;
  for (const { begin, end } of [...entries.values()].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    expect(begin).toBe(covered);
    covered = end;
  }
  expect(dataStart + covered).toBe(bytes.length);
  for (const [name, t] of decoded.tensors) expect(t.data.length * 4).toBe(entries.get(name)!.end - entries.get(name)!.begin);
}

describe('fuzz: safetensors', () => {
  it('found by fuzzing (a wrong oracle): an empty tensor at offset 0 beside a full one is packed, and decodes', () => {
    const bytes = safetensorsBytes({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, empty: { dtype: 'F32', shape: [2, 0], data_offsets: [0, 0] } }, new Uint8Array(4));
    const { tensors } = decodeSafetensors(bytes, 'f');
    expect(tensors.get('empty')!.data.length).toBe(0);
    expectConsistent(bytes, { tensors, metadata: {} });
  });

  it('found by fuzzing (seed -1790174145): a tensor named "__proto__" is written as a key and read back', () => {
    const bytes = encodeSafetensors(new Map([['__proto__', { shape: [2], data: Float32Array.from([1.5, -2]) }], ['w', { shape: [1], data: Float32Array.from([3]) }]]));
    const { tensors } = decodeSafetensors(bytes, 'f');
    expect([...tensors.keys()].sort()).toEqual(['__proto__', 'w']);
    expect(Array.from(tensors.get('__proto__')!.data)).toEqual([1.5, -2]);
  });

  // Oracle: what encode wrote, decode reads back bit for bit (NaN payloads included).
  prop.prop([tensors, metadata], fuzzRuns(100))('decode(encode(x)) is x', (list, meta) => {
    const bytes = encodeSafetensors(new Map(list), meta);
    const back = decodeSafetensors(bytes, 'f');
    // As sets: a JSON object lists integer-like keys ("6") first, so the header's order is not the writer's.
    expect([...back.tensors.keys()].sort()).toEqual(list.map(([n]) => n).sort());
    for (const [name, t] of list) {
      expect(back.tensors.get(name)!.shape).toEqual(t.shape);
      expect(new Uint32Array(back.tensors.get(name)!.data.buffer)).toEqual(new Uint32Array(t.data.buffer));
    }
    expect(back.metadata).toEqual(Object.keys(meta).length === 0 ? {} : meta);
  });

  const decodeCleanly = (bytes: Uint8Array) => {
    try {
      expectConsistent(bytes, decodeSafetensors(bytes, 'f'));
    } catch (error) {
      if (!(error instanceof CnnkitError) || error.code !== 'INVALID_WEIGHTS' || !error.message.startsWith('f: ')) throw error;
    }
  };

  prop.prop([fc.tuple(tensors, metadata).chain(([list, meta]) => {
    const bytes = encodeSafetensors(new Map(list), meta);
    return mutatedBytes(bytes, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)));
  })], fuzzRuns(200))('damaged bytes decode consistently or fail with INVALID_WEIGHTS', decodeCleanly);

  prop.prop([fc.tuple(tensors, metadata).chain(([list, meta]) => {
    const { header, data } = safetensorsHeaderJson(encodeSafetensors(new Map(list), meta));
    return fc.tuple(mutatedJson(header), fc.constantFrom(0, 0, -1, 7, 1 << 30), fc.constant(data));
  })], fuzzRuns(200))('hostile headers (offsets, shapes, dtypes, length) decode consistently or fail with INVALID_WEIGHTS', ([header, lie, data]) => {
    decodeCleanly(safetensorsBytes(header, data, lie));
  });

  prop.prop([fc.uint8Array({ maxLength: 64 })], fuzzRuns(100))('random bytes decode consistently or fail with INVALID_WEIGHTS', decodeCleanly);
});
