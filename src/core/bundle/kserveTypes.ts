/** KServe v2 tensor datatypes (Triton's are the same names with a TYPE_ prefix). */
export type KsDatatype = 'FP32' | 'FP64' | 'FP16' | 'INT64' | 'INT32' | 'INT16' | 'INT8' | 'UINT8' | 'UINT16' | 'BOOL';

/** KServe datatype → element type name (ONNX Runtime's, and EdgeCut's dataTypeName). */
const ELEMENT_TYPE: Record<KsDatatype, string> = { FP32: 'float32', FP64: 'float64', FP16: 'float16', INT64: 'int64', INT32: 'int32', INT16: 'int16', INT8: 'int8', UINT8: 'uint8', UINT16: 'uint16', BOOL: 'bool' };
const KS_TYPE: Record<string, KsDatatype> = Object.fromEntries(Object.entries(ELEMENT_TYPE).map(([k, v]) => [v, k as KsDatatype]));

/** The KServe datatype of an element type name ('float32' → 'FP32'); FP32 if unknown. */
export function ksDatatype(elementType: string): KsDatatype {
  return KS_TYPE[elementType] ?? 'FP32';
}

/** The element type name of a KServe datatype ('FP32' → 'float32'). */
export function elementType(d: string): string {
  return ELEMENT_TYPE[d as KsDatatype] ?? 'float32';
}
