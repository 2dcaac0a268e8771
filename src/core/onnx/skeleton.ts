import { ModelError } from '../errors';

/** Random access to a file's bytes (src/node implements it with positioned reads). */
export interface ByteSource {
  readonly size: number;
  /** Reads up to `length` bytes at `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Uint8Array;
}

/**
 * Which length-delimited fields of which ONNX messages hold sub-messages worth descending into
 * (field numbers from onnx.proto3). Everything else is copied through unchanged.
 */
type Kind = 'model' | 'graph' | 'node' | 'attribute' | 'tensor' | 'sparse';
const CHILDREN: Record<Kind, Readonly<Record<number, Kind>>> = {
  model: { 7: 'graph' },
  graph: { 1: 'node', 5: 'tensor', 15: 'sparse' },
  node: { 5: 'attribute' },
  attribute: { 5: 'tensor', 6: 'graph', 10: 'tensor', 11: 'graph', 22: 'sparse' },
  sparse: { 1: 'tensor' },
  tensor: {},
};
const RAW_DATA = 9;
const EXTERNAL_DATA = 13;

/** Marker keys standing in for a raw_data field left in the file; decodeTensor reads them. */
export const FILE_OFFSET_KEY = 'edgecut.file_offset';
export const FILE_LENGTH_KEY = 'edgecut.file_length';

/**
 * Copies a ModelProto without the raw_data of tensors of at least `minSkip` bytes, recording
 * each skipped field's file offset and length instead, so a 550 MB model is inspected by
 * reading its structure (a few MB) and never its weights.
 */
export function skeletonize(source: ByteSource, minSkip = 64 * 1024): Uint8Array {
  const reader = new WindowReader(source);
  const parts = message(reader, 0, source.size, 'model', minSkip);
  return concat(parts);
}

function message(r: WindowReader, start: number, end: number, kind: Kind, minSkip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = start;
  while (pos < end) {
    const fieldStart = pos;
    const [key, afterKey] = r.varint(pos, end);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire !== 2) {
      pos = skipScalar(r, afterKey, end, wire);
      out.push(r.bytes(fieldStart, pos - fieldStart));
      continue;
    }
    const [len, body] = r.varint(afterKey, end);
    const bodyEnd = body + len;
    if (bodyEnd > end) throw truncated(fieldStart, r.size);
    const child = CHILDREN[kind][field];
    if (kind === 'tensor' && field === RAW_DATA && len >= minSkip) {
      out.push(marker(FILE_OFFSET_KEY, body), marker(FILE_LENGTH_KEY, len));
    } else if (child) {
      const inner = concat(message(r, body, bodyEnd, child, minSkip));
      out.push(encodeVarint(key), encodeVarint(inner.length), inner);
    } else {
      out.push(r.bytes(fieldStart, bodyEnd - fieldStart));
    }
    pos = bodyEnd;
  }
  return out;
}

function skipScalar(r: WindowReader, pos: number, end: number, wire: number): number {
  if (wire === 0) return r.varint(pos, end)[1];
  if (wire === 1) return pos + 8;
  if (wire === 5) return pos + 4;
  throw new ModelError('not-onnx', `not an ONNX model: wire type ${wire} at byte ${pos}`);
}

/** An external_data entry (StringStringEntryProto) holding one number. */
function marker(key: string, value: number): Uint8Array {
  const k = utf8.encode(key);
  const v = utf8.encode(String(value));
  const entry = concat([encodeVarint((1 << 3) | 2), encodeVarint(k.length), k, encodeVarint((2 << 3) | 2), encodeVarint(v.length), v]);
  return concat([encodeVarint((EXTERNAL_DATA << 3) | 2), encodeVarint(entry.length), entry]);
}

const utf8 = new TextEncoder();

function encodeVarint(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function truncated(at: number, size: number): ModelError {
  return new ModelError('truncated', `the file is truncated: a field at byte ${at} runs past the end of the ${size}-byte file`);
}

/** Buffered reads through a sliding window, so walking headers costs few syscalls. */
class WindowReader {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private static readonly CHUNK = 1 << 20;

  constructor(private readonly source: ByteSource) {}

  get size(): number {
    return this.source.size;
  }

  bytes(offset: number, length: number): Uint8Array {
    if (offset + length > this.source.size) throw truncated(offset, this.source.size);
    if (offset < this.windowStart || offset + length > this.windowStart + this.window.length) {
      this.window = this.source.read(offset, Math.max(length, WindowReader.CHUNK));
      this.windowStart = offset;
    }
    const at = offset - this.windowStart;
    return this.window.slice(at, at + length);
  }

  /** Reads a varint at `pos` (before `end`); returns [value, position after it]. */
  varint(pos: number, end: number): [number, number] {
    const bytes = this.bytes(pos, Math.min(10, end - pos));
    let value = 0;
    let scale = 1;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return [value, pos + i + 1];
      scale *= 128;
    }
    throw truncated(pos, this.source.size);
  }
}
