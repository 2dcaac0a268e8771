import type * as Ort from 'onnxruntime-node';

/** One model input as ONNX Runtime types it ('float32', 'int64', …). */
export interface InputSpec {
  readonly name: string;
  readonly type: string;
  readonly dims: readonly number[];
}

/**
 * Deterministic inputs for job `job`, drawn from a multiply–xorshift hash of it: floats uniform
 * in [0, 1), integers small and non-negative (valid as indices and token ids), booleans by coin.
 * The profiling agent and the device runner both draw from it, so a profile times the same kind
 * of inputs a deployment runs; types it does not know get float32 (ONNX Runtime then names the
 * type it wanted).
 */
export function syntheticInputs(ort: typeof Ort, inputs: readonly InputSpec[], job: number): Record<string, Ort.Tensor> {
  let seed = (job + 1) * 2654435761;
  const next = (): number => ((seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
  const small = (): number => Math.floor(next() * 4);
  return Object.fromEntries(
    inputs.map((i) => {
      const n = i.dims.reduce((p, d) => p * Math.max(1, d), 1);
      const dims = [...i.dims];
      switch (i.type) {
        case 'int64': return [i.name, new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => BigInt(small())), dims)];
        case 'int32': return [i.name, new ort.Tensor('int32', Int32Array.from({ length: n }, small), dims)];
        case 'int8': return [i.name, new ort.Tensor('int8', Int8Array.from({ length: n }, small), dims)];
        case 'uint8': return [i.name, new ort.Tensor('uint8', Uint8Array.from({ length: n }, small), dims)];
        case 'bool': return [i.name, new ort.Tensor('bool', Uint8Array.from({ length: n }, () => (next() < 0.5 ? 1 : 0)), dims)];
        case 'float64': return [i.name, new ort.Tensor('float64', Float64Array.from({ length: n }, next), dims)];
        default: return [i.name, new ort.Tensor('float32', Float32Array.from({ length: n }, next), dims)];
      }
    }),
  );
}
