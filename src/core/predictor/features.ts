import type { ModelAnalysis } from '../analysis';
import type { Layer } from '../layers/layerGraph';
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
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly params: number;
  readonly kernel: number;
  readonly stride: number;
  readonly filters: number;
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
  return a.layers.layers.map((l) => featuresOf(l, a, byName.get(l.name)?.attributes));
}

function featuresOf(l: Layer, a: ModelAnalysis, attrs: ReadonlyMap<string, { kind: string; value?: unknown }> | undefined): LayerFeatures {
  const ints = (name: string): number[] => {
    const v = attrs?.get(name);
    return v?.kind === 'ints' ? (v.value as number[]) : [];
  };
  const out = l.outputs[0] ? a.shapes.facts.get(l.outputs[0])?.shape : undefined;
  return {
    opClass: opClassOf(l, a),
    macs: l.macs,
    elementOps: l.elementOps,
    inputBytes: l.inputTensors.reduce((s, t) => s + (a.layers.tensorBytes.get(t) ?? 0), 0),
    outputBytes: l.outputBytes,
    params: l.params,
    kernel: ints('kernel_shape').reduce((p, k) => p * k, 1),
    stride: ints('strides')[0] ?? 1,
    filters: out && out.length > 1 ? (out[1] as number) : 1,
  };
}
