import { onnx } from 'onnx-proto';

/** The symbolic name EdgeCut gives a batch axis it opens up. */
export const BATCH_DIM = 'batch';

/**
 * A copy of a model whose graph inputs and outputs have a symbolic first dim where they had a
 * batch of 1, and no intermediate value_info (it would pin the old batch): what Triton's dynamic
 * batching needs. Whether the graph really is batch-agnostic (no Reshape to a literal 1×…) is
 * for the caller to check by running it; this only rewrites the declarations.
 */
export function withBatchAxis(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const g = model.graph;
  if (!g) return bytes;
  const initializers = new Set((g.initializer ?? []).map((t) => t.name));
  const open = (v: onnx.IValueInfoProto): void => {
    const dim = v.type?.tensorType?.shape?.dim?.[0];
    if (dim && Number(dim.dimValue ?? 0) === 1) {
      dim.dimValue = undefined;
      dim.dimParam = BATCH_DIM;
      delete (dim as { value?: unknown }).value;
    }
  };
  for (const v of g.input ?? []) if (!initializers.has(v.name ?? '')) open(v);
  for (const v of g.output ?? []) open(v);
  g.valueInfo = [];
  return onnx.ModelProto.encode(model).finish();
}
