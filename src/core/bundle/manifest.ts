import type { NetworkLink } from '../plan/network';
import type { StrategyName } from '../plan/plan';
import type { ScheduleEntryJson } from '../plan/planJson';

/** The strategies a plan can deploy, in the order pickers offer them (the pipelined ones first). */
export const DEPLOY_STRATEGIES: readonly StrategyName[] = ['JPS', 'PO', 'LO', 'CO'];

/** How a job runs: all on the device (LO), all on the server (CO), or split at a cut. */
export type JobKind = 'local' | 'remote' | 'split';

export interface ManifestTensor {
  readonly name: string;
  /** KServe datatype (FP32, INT64, …). */
  readonly datatype: string;
  readonly shape: readonly number[];
}

/**
 * `bundle.json`, beside both halves of a bundle: which model halves exist, and the jobs in the
 * planned (JPS) order with what the plan predicted for each. The device runner reads it.
 */
export interface BundleManifest {
  readonly version: 1;
  readonly strategy: string;
  readonly network: NetworkLink;
  readonly predicted: { readonly makespanMs: number; readonly schedule: readonly ScheduleEntryJson[] };
  /** ONNX Runtime settings both halves run with (those the profiles were measured with). */
  readonly runtime: { readonly deviceThreads: number; readonly serverThreads: number; readonly optimization: 'disabled' | 'all' };
  readonly models: readonly {
    readonly name: string;
    /** device/ path of the whole model (LO jobs and fallback). */
    readonly full: string;
    /** Server model name of the whole model (CO jobs), if any job needs it. */
    readonly remote?: string;
    readonly inputs: readonly ManifestTensor[];
    readonly outputs: readonly string[];
  }[];
  readonly cuts: readonly {
    readonly key: string;
    readonly model: string;
    readonly candidate: number;
    readonly cutTensors: readonly string[];
    /** device/ path of the head. */
    readonly head: string;
    /** Server model name of the tail. */
    readonly tail: string;
    readonly headOutputs: readonly string[];
    readonly tailInputs: readonly string[];
    readonly tailOutputs: readonly string[];
  }[];
  /** In the order the device starts them. */
  readonly jobs: readonly { readonly job: number; readonly model: string; readonly kind: JobKind; readonly cut?: string }[];
}

/** A planned job's kind from its candidate: the plan's local-only and cloud-only candidates, else a cut. */
export function jobKind(model: { readonly lo: number; readonly co: number }, candidate: number): JobKind {
  return candidate === model.lo ? 'local' : candidate === model.co ? 'remote' : 'split';
}

/** "5 split, 5 local": how many jobs of each kind a bundle (or a schedule) runs. */
export function jobMix(jobs: readonly { readonly kind: JobKind }[]): string {
  const kinds = jobs.reduce<Record<string, number>>((acc, j) => ({ ...acc, [j.kind]: (acc[j.kind] ?? 0) + 1 }), {});
  return Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ');
}

/** A name a URL path and a file system both take. */
export function safeName(s: string): string {
  return s.replace(/\.onnx$/i, '').replace(/[^A-Za-z0-9_-]+/g, '_');
}
