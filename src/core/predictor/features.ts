import type { ModelAnalysis } from '../analysis';
import type { Layer } from '../layers/layerGraph';
import type { AttributeValue, OnnxNode } from '../onnx/model';
import { opClassOf } from '../profiles/opClass';
import type { OpClass } from '../profiles/types';

/**
 * What a latency predictor sees of a layer (Neurosurgeon / Edge Intelligence: sizes, kernel,
 * stride, filters, MACs) and of the device's load (end–edge seed: CPU utilisation, free memory).
 */
export interface LayerFeatures {
  readonly opClass: OpClass;
  readonly macs: number;
  readonly elementOps: number;
  /** Of elementOps, elements only moved (Concat, Transpose, Slice…); absent in older profiles. */
  readonly copyElements?: number;
  /** Of elementOps, those of transcendental, resampling and reducing ops (Sigmoid, Resize, Softmax…; not HardSigmoid). */
  readonly specialOps?: number;
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly params: number;
  readonly kernel: number;
  readonly stride: number;
  readonly filters: number;
  /**
   * Nodes ONNX Runtime runs for the layer (Constants are folded into initializers when a session
   * loads): the profiler's bookkeeping is per node. Absent in older profiles.
   */
  readonly nodes?: number;
  /**
   * Rows of the im2col buffer ONNX Runtime's convolutions with a k×k kernel build, as it copies
   * them (input channels × kernel positions × output rows, each one output row long): a per-row
   * cost that MACs miss where maps are small or narrow (PP-OCR det's 10×10 5×5 depthwise convs
   * take 2.7× the time per MAC of cls's 2×96 ones). 0 without such a convolution; absent in older
   * profiles.
   */
  readonly im2colRows?: number;
  /**
   * The main Conv's groups: a grouped convolution (RegNet, ResNeXt) builds its im2col buffer and
   * runs its GEMM once per group. Absent: 1 (older profiles, and every layer that is not a Conv).
   */
  readonly groups?: number;
}

export interface LoadFeatures {
  /** Busy fraction of all cores, 0–1. */
  readonly cpuUtilisation: number;
  readonly freeMemoryGB: number;
  /** Background threads competing for the CPU (the profiler's --load; 0 when planning idle). */
  readonly busyThreads?: number;
}

export function layerFeatures(a: ModelAnalysis): LayerFeatures[] {
  const byName = new Map(a.shapes.order.map((n) => [n.name, n]));
  return a.layers.layers.map((l) => featuresOf(l, a, byName));
}

function featuresOf(l: Layer, a: ModelAnalysis, byName: ReadonlyMap<string, OnnxNode>): LayerFeatures {
  const attrs = byName.get(l.name)?.attributes;
  const ints = (name: string): number[] => {
    const v = attrs?.get(name);
    return v?.kind === 'ints' ? (v.value as number[]) : [];
  };
  const out = l.outputs[0] ? a.shapes.facts.get(l.outputs[0])?.shape : undefined;
  return {
    opClass: opClassOf(l, a),
    macs: l.macs,
    elementOps: l.elementOps,
    ...elementKinds(l, a),
    inputBytes: l.inputTensors.reduce((s, t) => s + (a.layers.tensorBytes.get(t) ?? 0), 0),
    outputBytes: l.outputBytes,
    params: l.params,
    kernel: ints('kernel_shape').reduce((p, k) => p * k, 1),
    stride: ints('strides')[0] ?? 1,
    filters: out && out.length > 1 ? (out[1] as number) : 1,
    nodes: l.ops.filter((op) => op !== 'Constant').length,
    im2colRows: im2colRows(l.nodes.flatMap((n) => byName.get(n) ?? []), a),
    ...groupsOf(attrs?.get('group')),
  };
}

/** A Conv's group attribute, when it groups (a depthwise Conv's too: its class ignores it). */
function groupsOf(group: AttributeValue | undefined): { groups?: number } {
  return group?.kind === 'int' && group.value > 1 ? { groups: group.value } : {};
}

/** Σ over the layer's 2-D Convs with a kernel larger than 1×1: input channels × kernel positions × output rows. */
function im2colRows(nodes: readonly OnnxNode[], a: ModelAnalysis): number {
  let rows = 0;
  for (const node of nodes) {
    const k = node.attributes.get('kernel_shape');
    if (node.opType !== 'Conv' || k?.kind !== 'ints') continue;
    const kernel = (k.value as number[]).reduce((p, v) => p * v, 1);
    const channels = node.inputs[0] ? a.shapes.facts.get(node.inputs[0])?.shape?.[1] : undefined;
    const outRows = node.outputs[0] ? a.shapes.facts.get(node.outputs[0])?.shape?.[2] : undefined;
    if (kernel > 1 && typeof channels === 'number' && typeof outRows === 'number') rows += channels * kernel * outRows;
  }
  return rows;
}

/** Ops that only move elements: a memory copy per element, no arithmetic. */
const COPY_OPS = new Set(['Concat', 'Transpose', 'Slice', 'Split', 'Gather', 'GatherElements', 'Pad', 'Tile', 'Expand', 'DepthToSpace', 'SpaceToDepth']);
/**
 * Ops whose per-element cost is many times an add's: transcendentals, resampling, reductions.
 * HardSigmoid is not one: a clipped multiply-add, it takes what an Add takes (ONNX Runtime,
 * one thread, 401 408 elements: HardSigmoid 0.043 ms, Add 0.042, Sigmoid 0.113, HardSwish
 * 0.116), and priced as special MobileNetV3's hard-swish tails were predicted at 1.6× their time.
 */
const SPECIAL_OPS = /^(Sigmoid|HardSwish|Tanh|Exp|Log|Pow|Sqrt|Erf|Gelu|Softmax|LogSoftmax|Softplus|Mish|Resize|Upsample|Reduce.*|Arg.*|LRN|InstanceNormalization|LayerNormalization)$/;

/**
 * The layer's element-wise work by kind (Edge Intelligence's per-op-type features within one
 * fused layer): a Concat moves an element for a fraction of what a Sigmoid or Resize computes.
 * Each node's share is its own elementOps (costs/nodeCost), so the kinds add up within the layer's.
 */
function elementKinds(l: Layer, a: ModelAnalysis): { copyElements: number; specialOps: number } {
  let copyElements = 0;
  let specialOps = 0;
  l.nodes.forEach((name, i) => {
    const op = l.ops[i] ?? '';
    const work = a.costs.get(name)?.elementOps ?? 0;
    if (COPY_OPS.has(op)) copyElements += work;
    else if (SPECIAL_OPS.test(op)) specialOps += work;
  });
  return { copyElements, specialOps };
}

/**
 * The element-wise nodes fused after a layer's Conv (PP-OCR's BatchNorm-as-Mul/Add and HardSwish:
 * eight passes over the output; MobileNetV2's one Clip) as a layer of their own: a Conv's own
 * elementOps are 0, so all of the layer's are theirs, on its output.
 */
export function tailFeatures(f: LayerFeatures): LayerFeatures {
  return {
    opClass: 'elementwise',
    macs: 0,
    elementOps: f.elementOps,
    copyElements: f.copyElements ?? 0,
    specialOps: f.specialOps ?? 0,
    inputBytes: f.outputBytes,
    outputBytes: f.outputBytes,
    params: 0,
    kernel: 1,
    stride: 1,
    filters: f.filters,
    nodes: Math.max(1, (f.nodes ?? 2) - 1),
    im2colRows: 0,
  };
}
