import type * as Ort from 'onnxruntime-node';
import type { TensorSpec } from '../../core/bundle/tritonConfig';
import { dataTypeName } from '../../core/onnx/dataType';
import { relativeDifference, syntheticFeeds } from '../runtime/deviceRunner';
import { ksDatatype } from '../serve/ortTensors';

/**
 * Whether a model with an opened batch axis (withBatchAxis) really batches: two different
 * samples run together must give what each gives alone (≤ 1e-5 relative). A graph that reshapes
 * to a literal 1×… fails here, and its Triton config keeps exact shapes.
 */
export async function batchesCorrectly(ort: typeof Ort, batched: Uint8Array, inputs: readonly TensorSpec[]): Promise<boolean> {
  if (!inputs.every((t) => t.shape[0] === 1 && ['float32', 'int64'].includes(dataTypeName(t.dtype)))) return false;
  const specs = inputs.map((t) => ({ name: t.name, datatype: ksDatatype(dataTypeName(t.dtype)), shape: t.shape }));
  const [one, two] = [syntheticFeeds(ort, specs, 1), syntheticFeeds(ort, specs, 2)];
  let session: Ort.InferenceSession | undefined;
  try {
    // A refused batch is an expected answer here, not an error for the log.
    session = await ort.InferenceSession.create(batched, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1, logSeverityLevel: 4 });
    const [a, b] = [await session.run(one), await session.run(two)];
    const both = await session.run(Object.fromEntries(inputs.map((t) => [t.name, stack(ort, one[t.name] as Ort.Tensor, two[t.name] as Ort.Tensor)])));
    return Object.keys(a).every((name) => {
      const [t, ta, tb] = [both[name], a[name], b[name]];
      if (!t || !ta || !tb || t.dims[0] !== 2) return false;
      const row = (i: number): Ort.Tensor => new ort.Tensor(t.type as 'float32', (t.data as Float32Array).slice(i * ta.data.length, (i + 1) * ta.data.length), ta.dims);
      return relativeDifference({ x: row(0) }, { x: ta }) <= 1e-5 && relativeDifference({ x: row(1) }, { x: tb }) <= 1e-5;
    });
  } catch {
    return false;
  } finally {
    await session?.release();
  }
}

/** Two batch-1 tensors as one batch of 2. */
function stack(ort: typeof Ort, a: Ort.Tensor, b: Ort.Tensor): Ort.Tensor {
  const data = new (a.data.constructor as new (n: number) => Float32Array)(a.data.length * 2);
  data.set(a.data as Float32Array);
  data.set(b.data as Float32Array, a.data.length);
  return new ort.Tensor(a.type as 'float32', data, [2, ...a.dims.slice(1)]);
}
