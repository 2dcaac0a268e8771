import type { LayerFeatures, LoadFeatures } from './features';
import type { Sample } from './predictor';

/** What `fit` needs of a measured profile (written by `edgecut profile`). */
export interface ProfileForFit {
  readonly model: string;
  /** Sampled single kernels (`profile --kernel-grid`): layers to learn from, not a session to time. */
  readonly kernelGrid?: boolean;
  readonly layerFeatures: readonly LayerFeatures[];
  readonly loads: readonly {
    readonly load: number;
    readonly cpuUtilisation: number;
    readonly freeMemoryBytes: number;
    readonly wholeModelMs?: { readonly median: number };
    readonly layers: readonly { readonly id: number; readonly ms: number }[];
  }[];
}

/** One whole-model measurement: what the layers add up to and what the session took. */
export interface Session {
  readonly model: string;
  readonly busyThreads: number;
  readonly layers: number;
  readonly layerSumMs: number;
  readonly wholeMs: number;
}

/** Samples of kernel-grid profiles carry this model name: always trained on, never held out. */
export const KERNEL_GRID_MODEL = 'kernel grid';

/** One training sample per measured layer and load level. */
export function profileSamples(p: ProfileForFit): Sample[] {
  const model = p.kernelGrid ? KERNEL_GRID_MODEL : p.model;
  return p.loads.flatMap((run) =>
    run.layers.flatMap((l) => {
      const features = p.layerFeatures[l.id];
      const load = { cpuUtilisation: run.cpuUtilisation, freeMemoryGB: run.freeMemoryBytes / 1e9, busyThreads: run.load };
      return features ? [{ model, features, load, ms: l.ms }] : [];
    }),
  );
}

/** Whole-model runs; a kernel grid's (many inputs and outputs, no network) teach nothing of a session. */
export function profileSessions(p: ProfileForFit): Session[] {
  if (p.kernelGrid) return [];
  return p.loads.flatMap((run) =>
    run.wholeModelMs ? [{ model: p.model, busyThreads: run.load, layers: run.layers.length, layerSumMs: run.layers.reduce((s, l) => s + l.ms, 0), wholeMs: run.wholeModelMs.median }] : [],
  );
}

/** The load a plan assumes: the idle runs' mean CPU utilisation and free memory, no busy threads. */
export function idleBaseline(profiles: readonly ProfileForFit[]): LoadFeatures {
  const idle = profiles.flatMap((p) => p.loads.filter((l) => l.load === 0));
  return {
    busyThreads: 0,
    cpuUtilisation: idle.length ? idle.reduce((s, l) => s + l.cpuUtilisation, 0) / idle.length : 0,
    freeMemoryGB: idle.length ? idle.reduce((s, l) => s + l.freeMemoryBytes, 0) / idle.length / 1e9 : 1,
  };
}
