import { ModelError } from '../errors';
import { DataType, isFloatType } from './dataType';
import type { TensorData } from './model';

/** A small tensor whose values are known while planning (constants, shape arithmetic). */
export interface ConstTensor {
  readonly dtype: number;
  readonly dims: readonly number[];
  readonly data: readonly (number | string)[];
}

/** Tensors up to this many elements are materialised for constant folding; weights never are. */
export const MAX_FOLD_ELEMENTS = 1 << 16;
/** Float tensors are folded only when small (scales, bounds): bigger ones are weights. */
export const MAX_FOLD_FLOAT_ELEMENTS = 64;

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/**
 * Reads the values of an inline tensor of at most `limit` elements; undefined when it is larger,
 * external, or of a type EdgeCut does not fold.
 */
export function readTensorValues(t: TensorData, limit = defaultLimit(t.dtype)): ConstTensor | undefined {
  const count = elementCount(t.dims);
  if (count > limit) return undefined;
  const s = t.storage;
  if (s.kind === 'values') {
    if (s.values.length !== count) {
      if (s.values.length === 0 && count === 0) return { dtype: t.dtype, dims: t.dims, data: [] };
      throw new ModelError('truncated', `tensor '${t.name}' declares ${count} elements but holds ${s.values.length}`);
    }
    // float16 and bfloat16 arrive as bit patterns in int32_data.
    const bits = t.dtype === DataType.FLOAT16 ? halfToFloat : t.dtype === DataType.BFLOAT16 ? bfloatToFloat : undefined;
    const data = bits ? s.values.map((v) => bits(Number(v))) : s.values;
    return { dtype: t.dtype, dims: t.dims, data };
  }
  if (s.kind === 'raw') return readRaw(t, s.bytes, count);
  return undefined;
}

function defaultLimit(dtype: number): number {
  return isFloatType(dtype) ? MAX_FOLD_FLOAT_ELEMENTS : MAX_FOLD_ELEMENTS;
}

function readRaw(t: TensorData, bytes: Uint8Array, count: number): ConstTensor | undefined {
  const reader = RAW_READERS[t.dtype];
  if (!reader) return undefined;
  const [size, read] = reader;
  if (bytes.length !== size * count) {
    throw new ModelError(
      'truncated',
      `tensor '${t.name}' declares ${count} elements (${size * count} bytes) but its raw_data has ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Array<number>(count);
  for (let i = 0; i < count; i++) data[i] = read(view, i * size);
  return { dtype: t.dtype, dims: t.dims, data };
}

type RawReader = readonly [number, (v: DataView, at: number) => number];

const RAW_READERS: Record<number, RawReader> = {
  [DataType.FLOAT]: [4, (v, at) => v.getFloat32(at, true)],
  [DataType.DOUBLE]: [8, (v, at) => v.getFloat64(at, true)],
  [DataType.FLOAT16]: [2, (v, at) => halfToFloat(v.getUint16(at, true))],
  [DataType.BFLOAT16]: [2, (v, at) => bfloatToFloat(v.getUint16(at, true))],
  [DataType.INT8]: [1, (v, at) => v.getInt8(at)],
  [DataType.UINT8]: [1, (v, at) => v.getUint8(at)],
  [DataType.BOOL]: [1, (v, at) => (v.getUint8(at) ? 1 : 0)],
  [DataType.INT16]: [2, (v, at) => v.getInt16(at, true)],
  [DataType.UINT16]: [2, (v, at) => v.getUint16(at, true)],
  [DataType.INT32]: [4, (v, at) => v.getInt32(at, true)],
  [DataType.UINT32]: [4, (v, at) => v.getUint32(at, true)],
  [DataType.INT64]: [8, (v, at) => Number(v.getBigInt64(at, true))],
  [DataType.UINT64]: [8, (v, at) => Number(v.getBigUint64(at, true))],
};

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function bfloatToFloat(b: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, b << 16);
  return view.getFloat32(0);
}
