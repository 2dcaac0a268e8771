import type { LayerGraph } from '../layers/layerGraph';

/**
 * What partitioning sees of a model: layers in topological order with their latency on each
 * side, and the tensors between them with their sizes.
 */
export interface PlanGraph {
  readonly layers: readonly PlanLayer[];
  /** Tensors that may cross the cut: produced by a layer or a graph input, read by layers. */
  readonly tensors: readonly PlanTensor[];
  /** Graph outputs and the layer producing each (undefined when an input is passed through). */
  readonly outputs: readonly { readonly tensor: string; readonly layer: number | undefined; readonly bytes: number }[];
}

export interface PlanLayer {
  readonly id: number;
  readonly deviceMs: number;
  readonly serverMs: number;
  /** Predecessor layer ids. */
  readonly inputs: readonly number[];
}

export interface PlanTensor {
  readonly name: string;
  /** Producing layer, or undefined for a graph input (which starts on the device). */
  readonly producer: number | undefined;
  readonly consumers: readonly number[];
  readonly bytes: number;
}

export function buildPlanGraph(
  graph: LayerGraph,
  deviceMs: readonly number[],
  serverMs: readonly number[],
): PlanGraph {
  const producer = new Map<string, number>();
  for (const l of graph.layers) for (const t of l.outputs) producer.set(t, l.id);
  const consumers = new Map<string, number[]>();
  for (const l of graph.layers) for (const t of l.inputTensors) consumers.set(t, [...(consumers.get(t) ?? []), l.id]);
  const tensors: PlanTensor[] = [...consumers].map(([name, users]) => ({
    name,
    producer: producer.get(name),
    consumers: users,
    bytes: graph.tensorBytes.get(name) ?? 0,
  }));
  return {
    layers: graph.layers.map((l) => ({ id: l.id, deviceMs: deviceMs[l.id] ?? 0, serverMs: serverMs[l.id] ?? 0, inputs: l.inputs })),
    tensors,
    outputs: [...graph.graphOutputs].map(([tensor, layer]) => ({ tensor, layer, bytes: graph.tensorBytes.get(tensor) ?? 0 })),
  };
}
