import { onnx } from 'onnx-proto';
import type { ModelAnalysis } from '../analysis';
import { ModelError } from '../errors';

/** dtype and dims of a tensor, for the value_info of the tensors a cut sends. */
export type TensorTypeLookup = (name: string) => { dtype: number; shape: readonly number[] } | undefined;

/** The lookup an analysed model gives: what shape inference knows of each tensor. */
export function tensorTypes(a: ModelAnalysis): TensorTypeLookup {
  return (name) => {
    const f = a.shapes.facts.get(name);
    return f?.shape ? { dtype: f.dtype, shape: f.shape } : undefined;
  };
}

export interface SplitResult {
  readonly head: Uint8Array;
  readonly tail: Uint8Array;
  /** What the head produces for the tail (the cut), and model outputs computed on the device. */
  readonly headOutputs: readonly string[];
  /** What the tail reads: the cut tensors and any model inputs it still needs. */
  readonly tailInputs: readonly string[];
  readonly tailOutputs: readonly string[];
}

/**
 * Cuts a model at a set of tensors into head.onnx (model inputs → cut tensors, plus model outputs
 * computed on the device) and tail.onnx (cut tensors and model inputs it needs → the other model
 * outputs). Each half keeps only the initializers its nodes read; constant-only nodes both halves
 * need are copied into both. Weights must be inline (see node/inlineWeights).
 */
export function splitModel(bytes: Uint8Array, cut: readonly string[], types: TensorTypeLookup): SplitResult {
  const model = onnx.ModelProto.decode(bytes);
  const g = model.graph ?? new onnx.GraphProto();
  const nodes = g.node ?? [];
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => (n.output ?? []).forEach((o) => o && producer.set(o, i)));
  const inits = new Set((g.initializer ?? []).map((t) => t.name ?? ''));
  const inputs = new Set((g.input ?? []).map((v) => v.name ?? '').filter((n) => !inits.has(n)));
  const cutSet = new Set(cut);
  for (const t of cut) {
    if (!producer.has(t) && !inputs.has(t)) throw new ModelError('invalid-cut', `--cut ${t}: no node produces a tensor of that name and it is not a model input`);
  }
  const head = closure(nodes, producer, cut);
  const isStatic = staticNodes(nodes, producer, inits);
  const tail = new Set<number>();
  nodes.forEach((_, i) => !head.has(i) && tail.add(i));
  // Constant-only nodes the tail needs are recomputed there rather than sent.
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of [...tail]) {
      for (const t of nodes[i]?.input ?? []) {
        const p = t ? producer.get(t) : undefined;
        if (p !== undefined && head.has(p) && !cutSet.has(t) && isStatic.has(p) && !tail.has(p)) {
          tail.add(p);
          changed = true;
        }
      }
    }
  }
  for (const i of tail) {
    for (const t of nodes[i]?.input ?? []) {
      const p = t ? producer.get(t) : undefined;
      if (p !== undefined && head.has(p) && !tail.has(p) && !cutSet.has(t)) {
        throw new ModelError('invalid-cut', `invalid cut: '${nodes[i]?.name || nodes[i]?.opType}' on the server reads '${t}', computed on the device but not in the cut; add it to --cut`);
      }
    }
  }
  const graphOutputs = (g.output ?? []).map((v) => v.name ?? '');
  const headOutputs = [...cut.filter((t) => producer.has(t)), ...graphOutputs.filter((o) => head.has(producer.get(o) ?? -1) && !cutSet.has(o))];
  const tailOutputs = graphOutputs.filter((o) => !headOutputs.includes(o));
  const tailNeeds = new Set([...tail].flatMap((i) => nodes[i]?.input ?? []));
  const tailInputs = [...cut, ...[...inputs].filter((i) => tailNeeds.has(i) && !cutSet.has(i))];
  const half = (keep: ReadonlySet<number>, ins: readonly string[], outs: readonly string[], name: string): Uint8Array =>
    onnx.ModelProto.encode(subModel(model, keep, ins, outs, types, name)).finish();
  return {
    head: half(head, [...inputs].filter((i) => [...head].some((n) => (nodes[n]?.input ?? []).includes(i)) || cutSet.has(i)), headOutputs, 'head'),
    tail: half(tail, tailInputs, tailOutputs, 'tail'),
    headOutputs,
    tailInputs,
    tailOutputs,
  };
}

/** Nodes needed to compute `targets`, walking back from them to model inputs and initializers. */
function closure(nodes: readonly onnx.INodeProto[], producer: ReadonlyMap<string, number>, targets: readonly string[]): Set<number> {
  const out = new Set<number>();
  const stack = targets.map((t) => producer.get(t)).filter((i): i is number => i !== undefined);
  while (stack.length) {
    const i = stack.pop() as number;
    if (out.has(i)) continue;
    out.add(i);
    for (const t of nodes[i]?.input ?? []) {
      const p = t ? producer.get(t) : undefined;
      if (p !== undefined && !out.has(p)) stack.push(p);
    }
  }
  return out;
}

/** Nodes that read only initializers and other such nodes (Constant, weight aliases). */
function staticNodes(nodes: readonly onnx.INodeProto[], producer: ReadonlyMap<string, number>, inits: ReadonlySet<string>): Set<number> {
  const out = new Set<number>();
  nodes.forEach((n, i) => {
    if ((n.input ?? []).every((t) => !t || inits.has(t) || (producer.has(t) && out.has(producer.get(t) as number)))) out.add(i);
  });
  return out;
}

function subModel(model: onnx.ModelProto, keep: ReadonlySet<number>, ins: readonly string[], outs: readonly string[], types: TensorTypeLookup, name: string): onnx.ModelProto {
  const g = model.graph as onnx.GraphProto;
  const nodes = (g.node ?? []).filter((_, i) => keep.has(i));
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  const produced = new Set(nodes.flatMap((n) => n.output ?? []));
  const declared = new Map([...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])].map((v) => [v.name ?? '', v]));
  const info = (t: string): onnx.IValueInfoProto => {
    const known = types(t);
    if (known) {
      return { name: t, type: { tensorType: { elemType: known.dtype, shape: { dim: known.shape.map((d) => ({ dimValue: d })) } } } };
    }
    const d = declared.get(t);
    if (d) return d;
    throw new ModelError('shape-mismatch', `the type of '${t}' is unknown, so it cannot cross the cut: bind symbolic dims with --dim`);
  };
  const graph = new onnx.GraphProto({
    name: `${g.name ?? 'graph'}_${name}`,
    node: nodes,
    initializer: (g.initializer ?? []).filter((t) => used.has(t.name ?? '')),
    sparseInitializer: (g.sparseInitializer ?? []).filter((t) => used.has(t.values?.name ?? '')),
    input: ins.map(info),
    output: outs.map(info),
    valueInfo: (g.valueInfo ?? []).filter((v) => produced.has(v.name ?? '') && !outs.includes(v.name ?? '')),
  });
  return new onnx.ModelProto({ ...model, graph, docString: `EdgeCut ${name} of ${g.name ?? 'model'}` });
}
