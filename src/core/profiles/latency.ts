import type { ModelAnalysis } from '../analysis';
import { PlanError } from '../plan/planError';
import { layerFeatures } from '../predictor/features';
import { predictLayer } from '../predictor/fitPredictor';
import { opClassOf } from './opClass';
import type { ComputeProfile, RooflineProfile } from './types';

/** Predicted latency (ms) of every layer of the analysed model on one profile. */
export function layerLatencies(profile: ComputeProfile, analysis: ModelAnalysis): number[] {
  const layers = analysis.layers.layers;
  switch (profile.kind) {
    case 'ideal':
      return layers.map(() => 0);
    case 'measured': {
      if (profile.layerCount !== layers.length) {
        throw new PlanError(
          'profile-mismatch',
          `profile '${profile.name}' was measured on a model with ${profile.layerCount} layers; this model has ${layers.length}: profile this model, or use a predictor`,
        );
      }
      const ms = layers.map(() => 0);
      for (const l of profile.layers) ms[l.id] = l.ms + (profile.overheadPerLayerMs ?? 0);
      return ms;
    }
    case 'predictor': {
      const features = layerFeatures(analysis);
      return features.map((f) => predictLayer(profile, f, profile.baseline));
    }
    case 'roofline':
      return layers.map((l) => rooflineMs(profile, l.macs, trafficBytes(l, analysis), opClassOf(l, analysis)));
  }
}

export function rooflineMs(p: RooflineProfile, macs: number, bytes: number, cls: keyof RooflineProfile['efficiency']): number {
  const compute = macs / (p.peakGmacs * 1e9 * (p.efficiency[cls] || 1e-3));
  const memory = bytes / (p.memoryGBs * 1e9);
  return p.layerOverheadMs + Math.max(compute, memory) * 1000;
}

/** Bytes a layer moves: what enters and leaves it, and its weights (4 bytes each). */
function trafficBytes(layer: ModelAnalysis['layers']['layers'][number], a: ModelAnalysis): number {
  let bytes = layer.outputBytes + 4 * layer.params;
  for (const t of layer.inputTensors) bytes += a.layers.tensorBytes.get(t) ?? 0;
  return bytes;
}
