import type * as Ort from 'onnxruntime-node';
import { dataTypeName } from '../../core/onnx/dataType';
import type { TensorSpec } from '../../core/bundle/tritonConfig';
import { relativeDifference } from '../runtime/deviceRunner';

/**
 * Whether a model with an opened batch axis (withBatchAxis) really batches: two different
 * samples run together must give what each gives alone (≤ 1e-5 relative). A graph that reshapes
 * to a literal 1×… fails here, and its Triton config keeps exact shapes.
 */
export async function batchesCorrectly(ort: typeof Ort, batched: Uint8Array, inputs: readonly TensorSpec[]): Promise<boolean> {
  if (!inputs.every((t) => t.shape[0] === 1 && ['float32', 'int64'].includes(dataTypeName(t.dtype)))) return false;
  let session: Ort.InferenceSession | undefined;
  try {
    // A refused batch is an expected answer here, not an error for the log.
    session = await ort.InferenceSession.create(batched, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1, logSeverityLevel: 4 });
    const one = (seed: number): Record<string, Ort.Tensor> => Object.fromEntries(inputs.map((t) => [t.name, sample(ort, t, seed, 1)]));
    const [a, b] = [await session.run(one(1)), await session.run(one(2))];
    const both = await session.run(Object.fromEntries(inputs.map((t) => [t.name, sample(ort, t, 1, 2)])));
    return Object.keys(a).every((name) => {
      const t = both[name];
      const ta = a[name];
      const tb = b[name];
      if (!t || !ta || !tb || t.dims[0] !== 2) return false;
      const half = ta.data.length;
      const row = (i: number): Ort.Tensor => new ort.Tensor(t.type as 'float32', (t.data as Float32Array).slice(i * half, (i + 1) * half), ta.dims);
      return relativeDifference({ x: row(0) }, { x: ta }) <= 1e-5 && relativeDifference({ x: row(1) }, { x: tb }) <= 1e-5;
    });
  } catch {
    return false;
  } finally {
    await session?.release();
  }
}

/** `batch` samples of one input, starting with sample number `seed` (sample k is the same in any batch). */
function sample(ort: typeof Ort, t: TensorSpec, seed: number, batch: number): Ort.Tensor {
  const per = t.shape.slice(1).reduce((a, b) => a * Math.max(1, b), 1);
  const value = (k: number, i: number): number => (((k * 7919 + i * 104729) % 1000) / 1000) - 0.5;
  const dims = [batch, ...t.shape.slice(1)];
  if (dataTypeName(t.dtype) === 'int64') return new ort.Tensor('int64', BigInt64Array.from({ length: per * batch }, (_, i) => BigInt(Math.abs(Math.floor(value(seed + Math.floor(i / per), i % per) * 4)))), dims);
  return new ort.Tensor('float32', Float32Array.from({ length: per * batch }, (_, i) => value(seed + Math.floor(i / per), i % per)), dims);
}
