/**
 * ONNX TensorProto.DataType codes and their names as EdgeCut prints them (numpy-style).
 * Codes 17–23 (float8, int4, float4) arrived with IR 9–11; unknown codes stay printable.
 */
const NAMES: Record<number, string> = {
  0: 'undefined',
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
  23: 'float4e2m1',
};

/** Bits per element; strings have no fixed size (counted as 0 bytes). */
const BITS: Record<number, number> = {
  1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 8: 0, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64,
  14: 64, 15: 128, 16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4,
};

export const DataType = {
  UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8,
  BOOL: 9, FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

export function dataTypeName(code: number): string {
  return NAMES[code] ?? `dtype${code}`;
}

export function dataTypeFromName(name: string): number | undefined {
  for (const [code, n] of Object.entries(NAMES)) if (n === name) return Number(code);
  return undefined;
}

/** Storage bytes of `elements` values of this type (sub-byte types round up). */
export function byteSize(code: number, elements: number): number {
  const bits = BITS[code] ?? 0;
  return Math.ceil((bits * elements) / 8);
}

export function isFloatType(code: number): boolean {
  return code === 1 || code === 10 || code === 11 || code === 16 || (code >= 17 && code <= 20) || code === 23;
}

export function isIntegerType(code: number): boolean {
  return [2, 3, 4, 5, 6, 7, 12, 13, 21, 22].includes(code);
}
