import type { onnx } from 'onnx-proto';
import { DataType } from './dataType';
import type { TensorData } from './model';
import { FILE_LENGTH_KEY, FILE_OFFSET_KEY } from './skeleton';

interface LongLike {
  toNumber(): number;
}

/** int64 fields arrive as numbers or Long objects; EdgeCut works in doubles (exact to 2^53). */
export function toNumber(v: number | LongLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

const utf8 = new TextDecoder();
const EXTERNAL = 1;

export function decodeTensor(t: onnx.ITensorProto): TensorData {
  const name = t.name ?? '';
  const dtype = t.dataType ?? 0;
  const dims = (t.dims ?? []).map(toNumber);
  const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const fileOffset = entries.get(FILE_OFFSET_KEY);
  if (fileOffset !== undefined) {
    return { name, dtype, dims, storage: { kind: 'file', offset: Number(fileOffset), length: Number(entries.get(FILE_LENGTH_KEY)) } };
  }
  if (t.dataLocation === EXTERNAL) {
    const length = entries.get('length');
    return {
      name,
      dtype,
      dims,
      storage: {
        kind: 'external',
        location: entries.get('location') ?? '',
        offset: Number(entries.get('offset') ?? 0),
        length: length === undefined ? undefined : Number(length),
      },
    };
  }
  if (t.rawData && t.rawData.length > 0) return { name, dtype, dims, storage: { kind: 'raw', bytes: t.rawData } };
  return { name, dtype, dims, storage: { kind: 'values', values: typedFieldValues(t, dtype) } };
}

function typedFieldValues(t: onnx.ITensorProto, dtype: number): readonly (number | string)[] {
  switch (dtype) {
    case DataType.FLOAT:
    case DataType.COMPLEX64:
      return t.floatData ?? [];
    case DataType.DOUBLE:
    case DataType.COMPLEX128:
      return t.doubleData ?? [];
    case DataType.INT64:
      return (t.int64Data ?? []).map(toNumber);
    case DataType.UINT32:
    case DataType.UINT64:
      return (t.uint64Data ?? []).map(toNumber);
    case DataType.STRING:
      return (t.stringData ?? []).map((s) => utf8.decode(s));
    default:
      // int32, int16, int8, uint16, uint8, bool, float16/bfloat16 bit patterns, 4-bit and 8-bit floats.
      return t.int32Data ?? [];
  }
}

/** A sparse tensor is kept as its values and indices; its dense shape is `dims`. */
export function decodeSparseTensor(s: onnx.ISparseTensorProto): TensorData {
  const values = decodeTensor(s.values ?? {});
  const indices = decodeTensor(s.indices ?? {});
  return {
    name: values.name,
    dtype: values.dtype,
    dims: (s.dims ?? []).map(toNumber),
    storage: { kind: 'sparse', values, indices },
  };
}
