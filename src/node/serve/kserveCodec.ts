/**
 * The KServe v2 (Open Inference Protocol) REST encoding with the binary tensor extension:
 * a JSON header, optionally followed by raw tensor bytes whose JSON length is given in the
 * `Inference-Header-Content-Length` header. Shared by the server and the device runtime.
 */
export const HEADER_LENGTH = 'inference-header-content-length';

/** This host's clock, epoch ms with sub-ms resolution: the timing both halves report. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

import type { KsDatatype } from '../../core/bundle/kserveTypes';

export type { KsDatatype };

export interface KsTensor {
  readonly name: string;
  readonly datatype: KsDatatype;
  readonly shape: readonly number[];
  /** Little-endian element bytes. */
  readonly bytes: Uint8Array;
}

const SIZE: Record<KsDatatype, number> = { FP32: 4, FP64: 8, FP16: 2, INT64: 8, INT32: 4, INT16: 2, INT8: 1, UINT8: 1, UINT16: 2, BOOL: 1 };

export class KsError extends Error {
  override readonly name = 'KsError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function elementSize(d: string): number {
  const s = SIZE[d as KsDatatype];
  if (!s) throw new KsError(400, `unsupported datatype ${JSON.stringify(d)}`);
  return s;
}

interface JsonTensor {
  name?: unknown;
  datatype?: unknown;
  shape?: unknown;
  data?: unknown;
  parameters?: { binary_data_size?: unknown; binary_data?: unknown };
}

/** Parses an infer request (or, with key 'outputs', a response) into tensors; throws KsError(400). */
export function decodeRequest(body: Buffer, headerLength: number | undefined, key: 'inputs' | 'outputs' = 'inputs'): { inputs: KsTensor[]; binaryOutputs: boolean; outputs?: string[]; id?: string; parameters?: Record<string, unknown> } {
  const jsonEnd = headerLength ?? body.length;
  if (!Number.isInteger(jsonEnd) || jsonEnd < 0 || jsonEnd > body.length) throw new KsError(400, 'Inference-Header-Content-Length is larger than the body');
  let doc: { inputs?: unknown; outputs?: unknown; id?: unknown; parameters?: { binary_data_output?: unknown } & Record<string, unknown> };
  try {
    doc = JSON.parse(body.subarray(0, jsonEnd).toString('utf8')) as typeof doc;
  } catch {
    throw new KsError(400, 'the request header is not valid JSON');
  }
  const tensors = key === 'inputs' ? doc.inputs : doc.outputs;
  if (!Array.isArray(tensors) || tensors.length === 0) throw new KsError(400, `the ${key === 'inputs' ? 'request' : 'response'} has no '${key}'`);
  let offset = jsonEnd;
  const inputs = (tensors as JsonTensor[]).map((t) => {
    if (typeof t.name !== 'string' || typeof t.datatype !== 'string' || !Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new KsError(400, 'each input needs a name, a datatype and a shape of non-negative integers');
    }
    const shape = t.shape as number[];
    const count = shape.reduce((p, d) => p * d, 1);
    const size = elementSize(t.datatype);
    const binary = t.parameters?.binary_data_size;
    let bytes: Uint8Array;
    if (binary !== undefined) {
      if (typeof binary !== 'number' || binary !== count * size || offset + binary > body.length) throw new KsError(400, `input '${t.name}': binary_data_size does not match its shape or the body`);
      bytes = body.subarray(offset, offset + binary);
      offset += binary;
    } else {
      if (!Array.isArray(t.data)) throw new KsError(400, `input '${t.name}' has neither data nor binary_data_size`);
      const flat = (t.data as unknown[]).flat(Infinity as 1) as unknown[];
      if (flat.length !== count) throw new KsError(400, `input '${t.name}': ${flat.length} values for shape [${shape.join(',')}]`);
      bytes = fromValues(t.datatype as KsDatatype, flat);
    }
    return { name: t.name, datatype: t.datatype as KsDatatype, shape, bytes };
  });
  const outputs = key === 'inputs' && Array.isArray(doc.outputs) ? (doc.outputs as JsonTensor[]) : undefined;
  const binaryOutputs = doc.parameters?.binary_data_output === true || !!outputs?.some((o) => o.parameters?.binary_data === true);
  return { inputs, binaryOutputs, outputs: outputs?.map((o) => String(o.name)), id: typeof doc.id === 'string' ? doc.id : undefined, parameters: doc.parameters };
}

function fromValues(d: KsDatatype, values: readonly unknown[]): Uint8Array {
  const n = values.length;
  const view = new DataView(new ArrayBuffer(n * elementSize(d)));
  values.forEach((v, i) => {
    const x = Number(v);
    if (d === 'FP32') view.setFloat32(i * 4, x, true);
    else if (d === 'FP64') view.setFloat64(i * 8, x, true);
    else if (d === 'INT64') view.setBigInt64(i * 8, BigInt(Math.trunc(x)), true);
    else if (d === 'INT32') view.setInt32(i * 4, x, true);
    else if (d === 'INT16') view.setInt16(i * 2, x, true);
    else if (d === 'UINT16') view.setUint16(i * 2, x, true);
    else if (d === 'INT8') view.setInt8(i, x);
    else if (d === 'UINT8' || d === 'BOOL') view.setUint8(i, x ? (d === 'BOOL' ? 1 : x) : 0);
    else throw new KsError(400, `JSON data for ${d} is not supported: send binary data`);
  });
  return new Uint8Array(view.buffer);
}

/** Encodes a response (or a request, for clients): JSON header then binary data when asked. */
export function encodeTensors(kind: 'inputs' | 'outputs', tensors: readonly KsTensor[], binary: boolean, extra: Record<string, unknown> = {}): { body: Buffer; headerLength: number | undefined } {
  if (!binary) {
    const json = { ...extra, [kind]: tensors.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, data: toValues(t) })) };
    return { body: Buffer.from(JSON.stringify(json)), headerLength: undefined };
  }
  const header = Buffer.from(JSON.stringify({ ...extra, [kind]: tensors.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, parameters: { binary_data_size: t.bytes.length } })) }));
  return { body: Buffer.concat([header, ...tensors.map((t) => Buffer.from(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength))]), headerLength: header.length };
}

function toValues(t: KsTensor): number[] {
  const v = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const size = elementSize(t.datatype);
  return Array.from({ length: t.bytes.length / size }, (_, i) => {
    const at = i * size;
    switch (t.datatype) {
      case 'FP32': return v.getFloat32(at, true);
      case 'FP64': return v.getFloat64(at, true);
      case 'INT64': return Number(v.getBigInt64(at, true));
      case 'INT32': return v.getInt32(at, true);
      case 'INT16': return v.getInt16(at, true);
      case 'UINT16': return v.getUint16(at, true);
      case 'INT8': return v.getInt8(at);
      default: return v.getUint8(at);
    }
  });
}
