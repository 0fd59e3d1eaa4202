import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Values a hostile or damaged file puts where a size, name or list belongs. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(1e9, 1000000000, 2 ** 31, 2 ** 53, 1e308, -1, 0, -0, 0.5, 1.5, 65536, 4096, '', '../../x', '/etc/passwd', '__proto__', 'constructor', null, true, [], {}, [1e9, 1e9], [0, 0], [-1]),
  fc.integer({ min: -10, max: 100_000 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function replaceAt(value: Json, path: Path, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (replacement === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  if (replacement === undefined && rest.length === 0) delete copy[head as string];
  else copy[head as string] = replaceAt(copy[head as string], rest, replacement);
  return copy;
}

/** One edit: the node at a (wrapped) index replaced by a hostile value, or removed (`undefined`). */
const edit = fc.record({ at: fc.nat(), value: fc.option(hostileValue, { nil: undefined, freq: 6 }) });

/**
 * `value` with one to three of its nodes (any depth, the root included) replaced by
 * hostile values or removed: the edits a damaged or hostile file makes.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(mutatedJson(modelJson), (json) => { ... }));
 * ```
 */
export function mutatedJson(value: unknown): fc.Arbitrary<unknown> {
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let v = value as Json;
    for (const e of edits) {
      const all = paths(v);
      v = replaceAt(v, all[e.at % all.length], e.value);
    }
    return v;
  });
}

/**
 * Byte-level damage: bit flips, bytes set to extreme values, truncation, insertion.
 * Half the positions fall in the first `focus` bytes (a header, where damage matters).
 */
export function mutatedBytes(bytes: Uint8Array, focus = bytes.length): fc.Arbitrary<Uint8Array> {
  const at = fc.oneof(fc.nat({ max: Math.max(0, focus) }), fc.nat());
  const flip = fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) });
  const set = fc.record({ kind: fc.constant('set' as const), at, byte: fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x22, 0x7b, 0x5b, 0x30, 0x39) });
  const truncate = fc.record({ kind: fc.constant('truncate' as const), at });
  const insert = fc.record({ kind: fc.constant('insert' as const), at, data: fc.uint8Array({ minLength: 1, maxLength: 16 }) });
  return fc.array(fc.oneof(flip, set, truncate, insert), { minLength: 1, maxLength: 4 }).map((edits) => {
    let b = Uint8Array.from(bytes);
    for (const e of edits) {
      const at = b.length === 0 ? 0 : e.at % (b.length + (e.kind === 'insert' ? 1 : 0));
      if (e.kind === 'flip' && b.length > 0) b[at] ^= 1 << e.bit;
      else if (e.kind === 'set' && b.length > 0) b[at] = e.byte;
      else if (e.kind === 'truncate') b = b.slice(0, at);
      else if (e.kind === 'insert') {
        const out = new Uint8Array(b.length + e.data.length);
        out.set(b.subarray(0, at));
        out.set(e.data, at);
        out.set(b.subarray(at), at + e.data.length);
        b = out;
      }
    }
    return b;
  });
}

/**
 * A safetensors file with the given header object (as JSON, padded) and data; the
 * 8-byte length field may lie by `lengthLie` bytes.
 */
export function safetensorsBytes(header: unknown, data: Uint8Array, lengthLie = 0): Uint8Array {
  let json = JSON.stringify(header) ?? 'null';
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, h.length + lengthLie)), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

/** The JSON header of a safetensors file (for mutating it). */
export function safetensorsHeaderJson(bytes: Uint8Array): { header: unknown; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))), data: bytes.subarray(8 + n) };
}
