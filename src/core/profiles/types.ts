import type { PredictorProfileJson } from '../predictor/fitPredictor';

/** Classes of layer work that run at different efficiencies on a CPU or GPU. */
export const OP_CLASSES = [
  'conv', 'depthwiseConv', 'pointwiseConv', 'convTranspose', 'gemm', 'pool', 'elementwise', 'other',
] as const;
export type OpClass = (typeof OP_CLASSES)[number];

/**
 * Latency from a per-op-class roofline: a layer takes
 * overhead + max(MACs / (peak · efficiency[class]), bytes moved / bandwidth).
 */
export interface RooflineProfile {
  readonly kind: 'roofline';
  readonly name: string;
  readonly description: string;
  /** Where each constant comes from (papers, benchmark pages); see the profile's file. */
  readonly sources: readonly string[];
  /** Peak multiply-accumulates per second, in units of 10^9. */
  readonly peakGmacs: number;
  /** Fraction of peak each op class reaches (1 = peak). */
  readonly efficiency: Readonly<Record<OpClass, number>>;
  /** Effective memory bandwidth for activations and weights, GB/s. */
  readonly memoryGBs: number;
  /** Fixed cost per layer (kernel launch, scheduling), ms. */
  readonly layerOverheadMs: number;
}

/** A server that takes no time (the JPS paper's assumption). */
export interface IdealProfile {
  readonly kind: 'ideal';
  readonly name: string;
  readonly description: string;
}

/** Measured per-layer latencies of one model (Step 4's `edgecut profile`). */
export interface MeasuredProfile {
  readonly kind: 'measured';
  readonly name: string;
  readonly description: string;
  /** Layer count of the model it was measured on, to catch a mismatched model. */
  readonly layerCount: number;
  readonly layers: readonly { readonly id: number; readonly ms: number }[];
  /** ONNX Runtime intra-op threads it was measured with (absent: not recorded). */
  readonly threads?: number;
  /**
   * The session's own time, spread over the layers: whole-model median minus the layers' sum,
   * per layer (ONNX Runtime's per-node times leave the executor between nodes out). 0 if unknown.
   */
  readonly overheadPerLayerMs?: number;
}

/** A fitted per-op-type regression (`edgecut fit`): predicts models never profiled. */
export type PredictorProfile = PredictorProfileJson;

export type ComputeProfile = RooflineProfile | IdealProfile | MeasuredProfile | PredictorProfile;

/**
 * The profile's cost of handing a session's outputs back, ms per MB (outputCost.ts): a
 * predictor's, learnt from whole-model runs; a measured profile spreads its session's time over
 * its layers, this cost included.
 */
export function outputMsPerMBOf(p: ComputeProfile): number {
  return p.kind === 'predictor' ? (p.session?.outputMsPerMB ?? 0) : 0;
}
