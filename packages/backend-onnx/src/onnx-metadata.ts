/**
 * Reads the `metadata_props` (field 14 of ModelProto) of an ONNX file without decoding
 * the graph or the weights: onnxruntime-node does not expose them, and the exporter
 * writes the class names there. A minimal protobuf walk over the top-level fields.
 *
 * Throws a RangeError describing the problem when the bytes are not a well-formed
 * protobuf message; the caller names the file.
 */
export function readOnnxMetadata(bytes: Uint8Array): Map<string, string> {
  const props = new Map<string, string>();
  for (const field of fields(bytes, 0, bytes.length)) {
    if (field.number !== 14 || field.wire !== 2) continue;
    let key = '';
    let value = '';
    for (const entry of fields(bytes, field.start, field.end)) {
      if (entry.wire !== 2) continue;
      if (entry.number === 1) key = text(bytes, entry.start, entry.end);
      if (entry.number === 2) value = text(bytes, entry.start, entry.end);
    }
    props.set(key, value);
  }
  return props;
}

interface Field {
  number: number;
  wire: number;
  /** For length-delimited fields: the payload's byte range. */
  start: number;
  end: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}

function* fields(bytes: Uint8Array, from: number, to: number): Generator<Field> {
  let pos = from;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= to) throw new RangeError(`truncated varint at byte ${pos}`);
      const b = bytes[pos++];
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new RangeError(`varint longer than 10 bytes at byte ${pos}`);
  };
  while (pos < to) {
    const tag = varint();
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    if (number === 0) throw new RangeError(`field number 0 at byte ${pos}`);
    let start = pos;
    switch (wire) {
      case 0:
        varint();
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const length = varint();
        start = pos;
        pos += length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new RangeError(`unsupported wire type ${wire} at byte ${start}`);
    }
    if (pos > to) throw new RangeError(`field ${number} runs past the end (byte ${pos} of ${to})`);
    yield { number, wire, start, end: pos };
  }
}
