import { CnnkitError } from '@cnnkit/tensor-core';
import { oneLine } from './one-line.js';

/** A float32 tensor as stored: its shape and values. */
export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

/**
 * Encodes tensors in the safetensors layout: an 8-byte little-endian header
 * length, a JSON header (`{ name: { dtype: "F32", shape, data_offsets: [begin, end] },
 * "__metadata__": { ... } }`, padded with spaces to a multiple of 8 bytes), then
 * the float32 little-endian data. Written by hand: the format is a page long and
 * the npm packages for it target other runtimes or are unmaintained.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors(new Map([['dense/kernel', { shape: [2, 1], data: new Float32Array([1, 2]) }]]));
 * ```
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, StoredTensor>, metadata: Record<string, string> = {}): Uint8Array {
  // No prototype: a tensor named "__proto__" (legal in safetensors) must be a key, not a prototype change.
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new CnnkitError('INVALID_ARGUMENT', 'safetensors: "__metadata__" is reserved and cannot name a tensor');
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      throw new CnnkitError('SHAPE', `safetensors: tensor "${name}" has shape [${t.shape}] (${size} values) but ${t.data.length} values`);
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + size * 4] };
    offset += size * 4;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) {
    json += ' '.repeat(padding);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    // DataView writes little-endian on any host.
    for (let i = 0; i < t.data.length; i++, position += 4) view.setFloat32(position, t.data[i], true);
  }
  return out;
}

/** One tensor's entry in a safetensors header, checked against the file. */
export interface SafetensorsEntry {
  shape: number[];
  /** Byte range within the data section (after the header). */
  begin: number;
  end: number;
}

/** A checked safetensors header: where the data starts, each tensor's entry, the metadata. */
export interface SafetensorsHeader {
  dataStart: number;
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

/** The format's own cap on the JSON header (safetensors refuses larger ones). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/**
 * Reads and checks a safetensors header without touching the tensor data, so a
 * loader can compare the shapes with what it expects before allocating anything:
 * header length within the file (and `maxHeaderBytes`), JSON object, F32 dtypes,
 * shapes of non-negative integers whose size matches their byte range, and ranges
 * that cover the data section exactly (in bounds, no overlap, no gap), as the format
 * requires. Errors name the file, the tensor and what was expected.
 *
 * @example
 * ```ts
 * const { entries } = readSafetensorsHeader(bytes, 'weights.safetensors');
 * entries.get('dense/kernel')?.shape; // [8, 2]
 * ```
 */
export function readSafetensorsHeader(bytes: Uint8Array, file: string, maxHeaderBytes = SAFETENSORS_MAX_HEADER_BYTES): SafetensorsHeader {
  const fail = (problem: string) => new CnnkitError('INVALID_WEIGHTS', `${file}: ${problem}`);
  if (bytes.length < 8) throw fail(`expected at least 8 bytes (the header length), the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw fail(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes): truncated or not a safetensors file`);
  }
  if (headerLength > BigInt(maxHeaderBytes)) {
    throw fail(`header length ${headerLength} is over the limit of ${maxHeaderBytes} bytes: not a cnnkit weights file (its headers are a few KiB)`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (error) {
    throw fail(`bad JSON header: ${oneLine((error as Error).message)}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw fail('expected the header to be a JSON object');
  const dataLength = bytes.length - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || Object.values(entry).some((v) => typeof v !== 'string')) {
        throw fail('expected "__metadata__" to map strings to strings');
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw fail(`tensor "${name}": expected { dtype, shape, data_offsets }`);
    if (e.dtype !== 'F32') throw fail(`tensor "${name}": expected dtype "F32", received ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw fail(`tensor "${name}": expected shape to be a list of non-negative integers, received ${JSON.stringify(e.shape)}`);
    }
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0)) {
      throw fail(`tensor "${name}": expected data_offsets [begin, end], received ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      throw fail(`tensor "${name}": data_offsets [${begin}, ${end}] out of range: the data section has ${dataLength} bytes (truncated file?)`);
    }
    const size = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== size * 4) {
      throw fail(`tensor "${name}": shape [${e.shape}] needs ${size * 4} bytes, data_offsets give ${end - begin}`);
    }
    entries.set(name, { shape: e.shape as number[], begin, end });
  }
  const ranges = [...entries].sort((a, b) => a[1].begin - b[1].begin || a[1].end - b[1].end);
  let covered = 0;
  for (const [i, [name, { begin, end }]] of ranges.entries()) {
    if (begin < covered) throw fail(`tensors "${ranges[i - 1][0]}" and "${name}" overlap in the data section`);
    if (begin > covered) throw fail(`bytes ${covered}..${begin} of the data section belong to no tensor (before "${name}"): expected tensors packed without gaps`);
    covered = end;
  }
  if (covered !== dataLength) throw fail(`the last ${dataLength - covered} of the data section's ${dataLength} bytes belong to no tensor: expected tensors packed without gaps`);
  return { dataStart, entries, metadata };
}

/**
 * Decodes a safetensors file, checking everything a truncated or malformed file
 * could get wrong (see `readSafetensorsHeader`); errors name the file and the problem.
 * Only F32 tensors are accepted (cnnkit writes nothing else).
 *
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(await readFile(path), path);
 * ```
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  file: string,
  header: SafetensorsHeader = readSafetensorsHeader(bytes, file),
): { tensors: Map<string, StoredTensor>; metadata: Record<string, string> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, StoredTensor>();
  for (const [name, { shape, begin, end }] of header.entries) {
    const data = new Float32Array((end - begin) / 4);
    const at = header.dataStart + begin;
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(at + i * 4, true);
    tensors.set(name, { shape, data });
  }
  return { tensors, metadata: header.metadata };
}
