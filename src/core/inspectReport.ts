import type { ModelAnalysis } from './analysis';
import { byteSize, dataTypeName } from './onnx/dataType';
import type { ValueInfo } from './onnx/model';
import { elementCount } from './onnx/tensorValues';

export interface TensorJson {
  readonly dtype: string;
  readonly shape: readonly number[] | null;
  readonly bytes: number | null;
}

/** The `edgecut inspect --json` document (issue: Step 1, point 5). */
export interface InspectJson {
  readonly model: {
    readonly path: string;
    readonly irVersion: number;
    readonly opsets: Readonly<Record<string, number>>;
    readonly producer: string;
    readonly graphOnly: boolean;
  };
  readonly inputs: readonly { name: string; dtype: string; shape: readonly number[] | null }[];
  readonly outputs: readonly { name: string; dtype: string; shape: readonly number[] | null }[];
  readonly nodes: readonly {
    name: string; op: string; domain: string; inputs: readonly string[]; outputs: readonly string[];
    macs: number; elementOps: number; params: number; inputBytes: number; outputBytes: number;
  }[];
  readonly tensors: Readonly<Record<string, TensorJson>>;
  readonly layers: readonly {
    id: number; name: string; nodes: readonly string[]; op: string; ops: readonly string[]; macs: number; elementOps: number;
    params: number; outputBytes: number; outputs: readonly string[]; inputs: readonly number[];
  }[];
  readonly dims: Readonly<Record<string, number>>;
  readonly totals: { macs: number; elementOps: number; params: number; weightBytes: number };
  readonly unsupportedOps: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
}

export function inspectJson(a: ModelAnalysis, path: string, graphOnly: boolean, extraWarnings: readonly string[] = []): InspectJson {
  const facts = a.shapes.facts;
  const io = (v: ValueInfo): { name: string; dtype: string; shape: readonly number[] | null } => {
    const f = facts.get(v.name);
    return { name: v.name, dtype: dataTypeName(f?.dtype || v.dtype), shape: f?.shape ?? null };
  };
  const tensors: Record<string, TensorJson> = {};
  const add = (name: string): void => {
    if (!name || tensors[name]) return;
    const f = facts.get(name);
    tensors[name] = {
      dtype: dataTypeName(f?.dtype ?? 0),
      shape: f?.shape ?? null,
      bytes: f?.shape ? byteSize(f.dtype, elementCount(f.shape)) : null,
    };
  };
  const g = a.model.graph;
  g.inputs.forEach((v) => add(v.name));
  for (const n of a.shapes.order) {
    n.inputs.forEach(add);
    n.outputs.forEach(add);
  }
  const opsets: Record<string, number> = {};
  for (const [d, v] of Object.entries(a.model.opsets)) opsets[d === '' ? 'ai.onnx' : d] = v;
  return {
    model: { path, irVersion: a.model.irVersion, opsets, producer: a.model.producer, graphOnly },
    inputs: g.inputs.filter((v) => !g.initializers.has(v.name)).map(io),
    outputs: g.outputs.map(io),
    nodes: a.shapes.order.map((n) => {
      const c = a.costs.get(n.name);
      return {
        name: n.name, op: n.opType, domain: n.domain, inputs: n.inputs, outputs: n.outputs,
        macs: c?.macs ?? 0, elementOps: c?.elementOps ?? 0, params: c?.params ?? 0,
        inputBytes: c?.inputBytes ?? 0, outputBytes: c?.outputBytes ?? 0,
      };
    }),
    tensors,
    layers: a.layers.layers.map((l) => ({
      id: l.id, name: l.name, nodes: l.nodes, op: l.op, ops: l.ops, macs: l.macs, elementOps: l.elementOps,
      params: l.params, outputBytes: l.outputBytes, outputs: l.outputs, inputs: l.inputs,
    })),
    dims: a.shapes.dims,
    totals: { ...a.totals },
    unsupportedOps: Object.fromEntries(a.shapes.unsupportedOps),
    warnings: [...extraWarnings, ...a.warnings],
  };
}
