/**
 * A cheap walk over the top-level fields of a protobuf message, to tell "truncated" from
 * "some other protobuf" from "not protobuf at all" before the full decode, and to give the
 * byte offset where things go wrong (netron reports parse errors with such context).
 */
export type WireScan =
  | { readonly kind: 'ok'; readonly fields: ReadonlyMap<number, number> }
  | { readonly kind: 'truncated'; readonly at: number; readonly field: number }
  | { readonly kind: 'invalid'; readonly at: number; readonly why: string };

export function scanTopLevel(bytes: Uint8Array): WireScan {
  const fields = new Map<number, number>();
  let pos = 0;
  const varint = (): number | undefined => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= bytes.length) return undefined;
      const b = bytes[pos++] as number;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    return undefined;
  };
  while (pos < bytes.length) {
    const start = pos;
    const key = varint();
    if (key === undefined) return { kind: 'truncated', at: start, field: 0 };
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) return { kind: 'invalid', at: start, why: 'field number 0' };
    let end: number | undefined;
    if (wire === 0) end = varint() === undefined ? undefined : pos;
    else if (wire === 1) end = pos + 8;
    else if (wire === 5) end = pos + 4;
    else if (wire === 2) {
      const len = varint();
      end = len === undefined ? undefined : pos + len;
    } else return { kind: 'invalid', at: start, why: `wire type ${wire}` };
    if (end === undefined || end > bytes.length) return { kind: 'truncated', at: start, field };
    if (!fields.has(field)) fields.set(field, wire);
    pos = end;
  }
  return { kind: 'ok', fields };
}
