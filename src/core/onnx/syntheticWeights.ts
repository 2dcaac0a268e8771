import { onnx } from 'onnx-proto';
import { byteSize } from './dataType';
import { toNumber } from './decodeTensor';

/**
 * A copy of a model whose external (missing) weights are replaced by inline pseudo-random
 * values of the right shapes, so a graph-only model can be run and timed (latency does not
 * depend on the weights' values). Deterministic: the same file gives the same bytes.
 */
export function withSyntheticWeights(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  let seed = 12345;
  const fill = (t: onnx.ITensorProto): void => {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) return;
    const count = (t.dims ?? []).reduce<number>((a, d) => a * toNumber(d), 1);
    const raw = new Uint8Array(byteSize(t.dataType ?? 1, count));
    if (t.dataType === onnx.TensorProto.DataType.FLOAT) {
      const f = new Float32Array(raw.buffer);
      for (let i = 0; i < f.length; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        f[i] = (seed / 0x7fffffff - 0.5) * 0.02;
      }
    }
    t.rawData = raw;
    t.externalData = [];
    t.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
  };
  const visit = (g: onnx.IGraphProto | null | undefined): void => {
    if (!g) return;
    for (const t of g.initializer ?? []) fill(t);
    for (const n of g.node ?? []) for (const a of n.attribute ?? []) {
      if (a.t) fill(a.t);
      visit(a.g);
      for (const sub of a.graphs ?? []) visit(sub);
    }
  };
  visit(model.graph);
  return onnx.ModelProto.encode(model).finish();
}
