import type { LayerFeatures, LoadFeatures } from './features';
import type { Sample } from './predictor';
import { median } from '../profiles/ortProfile';

/** What `fit` needs of a measured profile (written by `edgecut profile`). */
export interface ProfileForFit {
  readonly model: string;
  /** Sampled single kernels (`profile --kernel-grid`): layers to learn from, not a session to time. */
  readonly kernelGrid?: boolean;
  readonly layerFeatures: readonly LayerFeatures[];
  /** ONNX Runtime's profiler bookkeeping per node, measured on the device (profilerCalibration.ts). */
  readonly profilerNodeMs?: number;
  /** Bytes of the model's outputs, which its sessions hand back (outputCost.ts); absent in older profiles. */
  readonly outputBytes?: number;
  readonly loads: readonly {
    readonly load: number;
    readonly cpuUtilisation: number;
    readonly freeMemoryBytes: number;
    readonly wholeModelMs?: { readonly median: number };
    readonly layers: readonly { readonly id: number; readonly ms: number }[];
  }[];
}

/**
 * How repeated profiles of one model merge: per layer, load level and whole model, the fastest of
 * their medians, or the median of them. A device's speed drifts over minutes (on the testbed one
 * model's profile moved 50 % between rounds) and what drifts it — other tenants of the host,
 * background work, a throttled clock — only ever adds time, so the fastest of a few profiles
 * taken apart is the device's own speed, layer by layer: a layer's fastest round need not be the
 * whole model's. Refitting a four-round testbed bench's profiles (bench/predictorStudy.ts) that
 * way put 9 of 9 held-out models within ±10 % where medians put 4; the next bench measured 8 of
 * 9 against 6.
 */
export type RepeatMerge = 'fastest' | 'median';

/**
 * Profiles of one model taken at different times, merged into one by `how`; profiles of other
 * models pass through.
 */
export function mergeRepeats(profiles: readonly ProfileForFit[], how: RepeatMerge = 'fastest'): ProfileForFit[] {
  const groups = new Map<string, ProfileForFit[]>();
  for (const p of profiles) {
    const key = `${p.kernelGrid ? KERNEL_GRID_MODEL : p.model}\u0000${p.layerFeatures.length}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((g) => (g.length === 1 ? (g[0] as ProfileForFit) : mergeGroup(g, how === 'fastest' ? (v) => Math.min(...v) : median)));
}

function mergeGroup(g: readonly ProfileForFit[], merge: (values: number[]) => number): ProfileForFit {
  const first = g[0] as ProfileForFit;
  const levels = [...new Set(g.flatMap((p) => p.loads.map((l) => l.load)))].sort((a, b) => a - b);
  const bookkeeping = g.flatMap((p) => (p.profilerNodeMs === undefined ? [] : [p.profilerNodeMs]));
  return {
    ...first,
    ...(bookkeeping.length ? { profilerNodeMs: merge(bookkeeping) } : {}),
    loads: levels.map((load) => {
      const runs = g.flatMap((p) => p.loads.filter((l) => l.load === load));
      const wholes = runs.flatMap((r) => (r.wholeModelMs ? [r.wholeModelMs.median] : []));
      const ids = [...new Set(runs.flatMap((r) => r.layers.map((l) => l.id)))].sort((a, b) => a - b);
      return {
        load,
        cpuUtilisation: runs.reduce((s, r) => s + r.cpuUtilisation, 0) / runs.length,
        freeMemoryBytes: runs.reduce((s, r) => s + r.freeMemoryBytes, 0) / runs.length,
        ...(wholes.length ? { wholeModelMs: { median: merge(wholes) } } : {}),
        layers: ids.map((id) => ({ id, ms: merge(runs.flatMap((r) => r.layers.filter((l) => l.id === id).map((l) => l.ms))) })),
      };
    }),
  };
}

/** One whole-model measurement: what the layers add up to and what the session took. */
export interface Session {
  readonly model: string;
  readonly busyThreads: number;
  readonly layers: number;
  readonly layerSumMs: number;
  readonly wholeMs: number;
  /** The layer sum is without the profiler's bookkeeping (the profile measured it). */
  readonly calibrated?: boolean;
  /** Bytes of the model's outputs (absent: not recorded). */
  readonly outputBytes?: number;
}

/** Samples of kernel-grid profiles carry this model name: always trained on, never held out. */
export const KERNEL_GRID_MODEL = 'kernel grid';

/** One training sample per measured layer and load level, the profiler's bookkeeping taken out. */
export function profileSamples(p: ProfileForFit): Sample[] {
  const model = p.kernelGrid ? KERNEL_GRID_MODEL : p.model;
  return p.loads.flatMap((run) =>
    run.layers.flatMap((l) => {
      const features = p.layerFeatures[l.id];
      const load = { cpuUtilisation: run.cpuUtilisation, freeMemoryGB: run.freeMemoryBytes / 1e9, busyThreads: run.load };
      return features ? [{ model, features, load, ms: computeMs(l.ms, features, p.profilerNodeMs) }] : [];
    }),
  );
}

/** Whole-model runs; a kernel grid's (many inputs and outputs, no network) teach nothing of a session. */
export function profileSessions(p: ProfileForFit): Session[] {
  if (p.kernelGrid) return [];
  const layerSum = (run: ProfileForFit['loads'][number]): number => run.layers.reduce((s, l) => s + computeMs(l.ms, p.layerFeatures[l.id], p.profilerNodeMs), 0);
  const calibrated = p.profilerNodeMs !== undefined && p.layerFeatures.every((f) => f.nodes !== undefined);
  const outputs = p.outputBytes === undefined ? {} : { outputBytes: p.outputBytes };
  return p.loads.flatMap((run) => (run.wholeModelMs ? [{ model: p.model, busyThreads: run.load, layers: run.layers.length, layerSumMs: layerSum(run), wholeMs: run.wholeModelMs.median, calibrated, ...outputs }] : []));
}

/**
 * A layer's profiled time without the profiler's own bookkeeping (ONNX Runtime's per-node `dur`
 * carries it: a few µs a node, a third of a 1.4 ms model's profiled time), when the
 * profile measured it; never below a tenth of the profiled time.
 */
export function computeMs(profiledMs: number, f: LayerFeatures | undefined, profilerNodeMs: number | undefined): number {
  if (!profilerNodeMs || f?.nodes === undefined) return profiledMs;
  return Math.max(0.1 * profiledMs, profiledMs - profilerNodeMs * f.nodes);
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
