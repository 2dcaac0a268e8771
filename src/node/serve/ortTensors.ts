import type * as Ort from 'onnxruntime-node';
import { elementType, ksDatatype } from '../../core/bundle/kserveTypes';
import type { KsTensor } from './kserveCodec';
const ARRAYS: Record<string, new (b: ArrayBuffer) => unknown> = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array, int16: Int16Array, int8: Int8Array, uint8: Uint8Array, uint16: Uint16Array, bool: Uint8Array, float16: Uint16Array,
};

export { ksDatatype, elementType as ortType };

/** An ONNX Runtime tensor as KServe tensor bytes (a view, not a copy). */
export function toKs(name: string, t: Ort.Tensor): KsTensor {
  const data = t.data as unknown as ArrayBufferView;
  return { name, datatype: ksDatatype(t.type), shape: [...t.dims], bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** KServe tensor bytes as an ONNX Runtime tensor (copied: the bytes may sit unaligned in a body). */
export function fromKs(ort: typeof Ort, t: KsTensor): Ort.Tensor {
  const type = elementType(t.datatype);
  const copy = new Uint8Array(t.bytes.length);
  copy.set(t.bytes);
  return new ort.Tensor(type as 'float32', new (ARRAYS[type] as new (b: ArrayBuffer) => Float32Array)(copy.buffer), [...t.shape]);
}

/**
 * Runs a session once on zeros shaped from its own input metadata (unknown dimensions as 1), so
 * the first timed inference does not pay for the arena's first allocations. Returns false when
 * an input is not a plain tensor and the warm-up was skipped.
 */
export async function warmUp(ort: typeof Ort, session: Ort.InferenceSession): Promise<boolean> {
  const feeds: Record<string, Ort.Tensor> = {};
  for (const i of session.inputMetadata) {
    if (!i.isTensor || !ARRAYS[i.type]) return false;
    const dims = i.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const Typed = ARRAYS[i.type] as unknown as { new (n: number): Float32Array };
    feeds[i.name] = new ort.Tensor(i.type as 'float32', new Typed(dims.reduce((a, b) => a * b, 1)), dims);
  }
  await session.run(feeds);
  return true;
}
