import { nodeCost, type NodeCost } from './costs/nodeCost';
import { byteSize, isFloatType } from './onnx/dataType';
import type { OnnxModel, OnnxNode } from './onnx/model';
import { elementCount } from './onnx/tensorValues';
import { buildLayerGraph, type LayerGraph } from './layers/layerGraph';
import { inferShapes, type ShapeOptions, type ShapeReport } from './shapes/infer';

export interface ModelTotals {
  readonly macs: number;
  readonly elementOps: number;
  /** Elements of all weights of the main graph: initializers and float Constant tensors. */
  readonly params: number;
  /** Bytes those initializers occupy (inline or external). */
  readonly weightBytes: number;
}

/** Everything Step 1 knows about a model: shapes, per-node costs and the layer DAG. */
export interface ModelAnalysis {
  readonly model: OnnxModel;
  readonly shapes: ShapeReport;
  readonly costs: ReadonlyMap<string, NodeCost>;
  readonly layers: LayerGraph;
  readonly totals: ModelTotals;
  readonly warnings: readonly string[];
}

export function analyzeModel(model: OnnxModel, options: ShapeOptions = {}): ModelAnalysis {
  const shapes = inferShapes(model, options);
  const weights = weightTensors(model, shapes.order);
  const costs = new Map<string, NodeCost>();
  for (const node of shapes.order) costs.set(node.name, nodeCost(node, shapes.facts, weights.elements));
  const layers = buildLayerGraph(model.graph, shapes.order, shapes.facts, costs);
  let params = 0;
  for (const n of weights.elements.values()) params += n;
  const weightBytes = weights.bytes;
  let macs = 0;
  let elementOps = 0;
  for (const c of costs.values()) {
    macs += c.macs;
    elementOps += c.elementOps;
  }
  const unknown = shapes.unknownNodes.size;
  const warnings = [...model.warnings, ...shapes.warnings];
  if (unknown > 0) warnings.push(`${unknown} node${unknown > 1 ? 's have' : ' has'} outputs whose shapes could not be inferred`);
  return { model, shapes, costs, layers, totals: { macs, elementOps, params, weightBytes }, warnings };
}

/**
 * The model's weights: every initializer, plus float Constant tensors of more than one element
 * (Paddle2ONNX and some other exporters store weights as Constant nodes; scalars such as Clip
 * bounds and integer shape constants are not weights).
 */
function weightTensors(model: OnnxModel, order: readonly OnnxNode[]): { elements: Map<string, number>; bytes: number } {
  const elements = new Map<string, number>();
  let bytes = 0;
  for (const t of model.graph.initializers.values()) {
    const n = elementCount(t.dims);
    elements.set(t.name, n);
    bytes += t.storage.kind === 'sparse' ? byteSize(t.dtype, elementCount(t.storage.values.dims)) : byteSize(t.dtype, n);
  }
  for (const node of order) {
    const value = node.opType === 'Constant' ? node.attributes.get('value') : undefined;
    const out = node.outputs[0];
    if (value?.kind !== 'tensor' || !out || !isFloatType(value.value.dtype)) continue;
    const n = elementCount(value.value.dims);
    if (n <= 1) continue;
    elements.set(out, n);
    bytes += byteSize(value.value.dtype, n);
  }
  return { elements, bytes };
}
