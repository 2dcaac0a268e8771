import type { NodeCost } from '../costs/nodeCost';
import { byteSize } from '../onnx/dataType';
import type { OnnxGraph, OnnxNode } from '../onnx/model';
import { elementCount } from '../onnx/tensorValues';
import type { TensorFact } from '../shapes/types';
import { isFollower, isStaticNode } from './fusion';

/** One schedulable unit of the model: nodes nobody would cut between (Neurosurgeon's "layer"). */
export interface Layer {
  /** Index in topological order; stable for a given file. */
  readonly id: number;
  /** The layer's main op (the first node that does work, e.g. Conv for Conv+BN+Relu). */
  readonly op: string;
  /** Name of that main node. */
  readonly name: string;
  readonly nodes: readonly string[];
  readonly ops: readonly string[];
  readonly macs: number;
  readonly elementOps: number;
  readonly params: number;
  /** Tensors that leave the layer (consumed by another layer or a graph output). */
  readonly outputs: readonly string[];
  readonly outputBytes: number;
  /** Tensors from other layers or graph inputs that the layer reads. */
  readonly inputTensors: readonly string[];
  /** Predecessor layers (ids), in ascending order. */
  readonly inputs: readonly number[];
}

/** The DAG that planning cuts: layers, and which graph inputs and outputs touch which layers. */
export interface LayerGraph {
  readonly layers: readonly Layer[];
  /** Graph input name → ids of layers reading it. */
  readonly graphInputs: ReadonlyMap<string, readonly number[]>;
  /** Graph output name → id of the producing layer (undefined for an input passed through). */
  readonly graphOutputs: ReadonlyMap<string, number | undefined>;
  /** Bytes of every tensor that crosses between layers or enters/leaves the graph. */
  readonly tensorBytes: ReadonlyMap<string, number>;
}

/**
 * Groups nodes into layers: static nodes (constants, weight aliases, shape arithmetic) join their
 * first consumer; element-wise followers whose data inputs all come from one layer join it
 * (Conv+BN+Relu, x·HardSigmoid(x), a bias Add, a Reshape/Flatten after its producer).
 * Every tensor between two layers stays a possible cut point.
 */
export function buildLayerGraph(
  graph: OnnxGraph,
  order: readonly OnnxNode[],
  facts: ReadonlyMap<string, TensorFact>,
  costs: ReadonlyMap<string, NodeCost>,
): LayerGraph {
  const producer = new Map<string, OnnxNode>();
  for (const n of order) for (const o of n.outputs) if (o) producer.set(o, n);
  const staticTensors = new Set<string>(graph.initializers.keys());
  const staticNodes = new Set<OnnxNode>();
  for (const n of order) {
    if (isStaticNode(n, staticTensors, facts)) {
      staticNodes.add(n);
      for (const o of n.outputs) if (o) staticTensors.add(o);
    }
  }
  const dataInputs = (n: OnnxNode): string[] => [...new Set(n.inputs.filter((i) => i && !staticTensors.has(i)))];
  const layerOf = new Map<OnnxNode, number>();
  const groups: OnnxNode[][] = [];
  for (const n of order) {
    if (staticNodes.has(n)) continue;
    const from = new Set(dataInputs(n).map((i) => producer.get(i)).map((p) => (p ? layerOf.get(p) : undefined)));
    const only = from.size === 1 ? [...from][0] : undefined;
    if (only !== undefined && isFollower(n)) {
      layerOf.set(n, only);
      groups[only]?.push(n);
    } else {
      layerOf.set(n, groups.length);
      groups.push([n]);
    }
  }
  attachStaticNodes(order, staticNodes, layerOf, groups, graph);
  return assemble(graph, groups, layerOf, dataInputs, producer, facts, costs);
}

/** A static node joins the layer of its first non-static consumer (or its own, if it has none). */
function attachStaticNodes(
  order: readonly OnnxNode[],
  staticNodes: ReadonlySet<OnnxNode>,
  layerOf: Map<OnnxNode, number>,
  groups: OnnxNode[][],
  graph: OnnxGraph,
): void {
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of order) for (const i of n.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const target = (n: OnnxNode, seen: Set<OnnxNode>): number | undefined => {
    if (seen.has(n)) return undefined;
    seen.add(n);
    for (const o of n.outputs) {
      for (const c of consumers.get(o) ?? []) {
        const l = staticNodes.has(c) ? target(c, seen) : layerOf.get(c);
        if (l !== undefined) return l;
      }
    }
    return undefined;
  };
  const pending = order.filter((n) => staticNodes.has(n));
  for (const n of pending) {
    let l = target(n, new Set());
    if (l === undefined) {
      // Unused constants belong to no layer; a constant graph output gets its own.
      if (!n.outputs.some((o) => graph.outputs.some((g) => g.name === o))) continue;
      l = groups.length;
      groups.push([]);
    }
    layerOf.set(n, l);
    groups[l]?.push(n);
  }
  const position = new Map(order.map((n, i) => [n, i]));
  for (const g of groups) g.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
}

function assemble(
  graph: OnnxGraph,
  groups: readonly OnnxNode[][],
  layerOf: ReadonlyMap<OnnxNode, number>,
  dataInputs: (n: OnnxNode) => string[],
  producer: ReadonlyMap<string, OnnxNode>,
  facts: ReadonlyMap<string, TensorFact>,
  costs: ReadonlyMap<string, NodeCost>,
): LayerGraph {
  const bytesOf = (t: string): number => {
    const f = facts.get(t);
    return f?.shape ? byteSize(f.dtype, elementCount(f.shape)) : 0;
  };
  const graphOutputNames = new Set(graph.outputs.map((o) => o.name));
  const leaving = groups.map(() => new Set<string>());
  const entering = groups.map(() => new Set<string>());
  const preds = groups.map(() => new Set<number>());
  const graphInputs = new Map<string, number[]>();
  const graphInputNames = new Set(graph.inputs.map((i) => i.name));
  const tensorBytes = new Map<string, number>();
  groups.forEach((nodes, id) => {
    for (const n of nodes) {
      for (const t of dataInputs(n)) {
        const p = producer.get(t);
        const from = p ? layerOf.get(p) : undefined;
        if (from === id) continue;
        entering[id]?.add(t);
        tensorBytes.set(t, bytesOf(t));
        if (from !== undefined) {
          preds[id]?.add(from);
          leaving[from]?.add(t);
        } else if (graphInputNames.has(t)) {
          graphInputs.set(t, [...new Set([...(graphInputs.get(t) ?? []), id])]);
        }
      }
      for (const o of n.outputs) {
        if (graphOutputNames.has(o)) {
          leaving[id]?.add(o);
          tensorBytes.set(o, bytesOf(o));
        }
      }
    }
  });
  const layers = groups.map((nodes, id): Layer => {
    const work = nodes.map((n) => ({ n, c: costs.get(n.name) }));
    const main = work.find((w) => (w.c?.macs ?? 0) > 0) ?? work.find((w) => (w.c?.elementOps ?? 0) > 0) ?? work[0];
    const outputs = [...(leaving[id] ?? [])];
    return {
      id,
      op: main?.n.opType ?? 'Constant',
      name: main?.n.name ?? '',
      nodes: nodes.map((n) => n.name),
      ops: nodes.map((n) => n.opType),
      macs: work.reduce((s, w) => s + (w.c?.macs ?? 0), 0),
      elementOps: work.reduce((s, w) => s + (w.c?.elementOps ?? 0), 0),
      params: work.reduce((s, w) => s + (w.c?.params ?? 0), 0),
      outputs,
      outputBytes: outputs.reduce((s, t) => s + bytesOf(t), 0),
      inputTensors: [...(entering[id] ?? [])],
      inputs: [...(preds[id] ?? [])].sort((a, b) => a - b),
    };
  });
  const graphOutputs = new Map<string, number | undefined>();
  for (const o of graph.outputs) {
    const p = producer.get(o.name);
    graphOutputs.set(o.name, p ? layerOf.get(p) : undefined);
  }
  return { layers, graphInputs, graphOutputs, tensorBytes };
}
