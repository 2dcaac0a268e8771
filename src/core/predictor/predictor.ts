import type { LayerFeatures, LoadFeatures } from './features';
import { fitLinear, fitNonNegative, predictLinear, rSquared, type LinearFit } from './regression';

/** The regression forms tried per op type; the best by cross-validation is kept. */
export type Form = 'linear' | 'log' | 'poly';
export const FORMS: readonly Form[] = ['linear', 'log', 'poly'];

export interface Sample {
  readonly model: string;
  readonly features: LayerFeatures;
  readonly load: LoadFeatures;
  readonly ms: number;
}

/**
 * One op class: an idle-device latency model in one form, times a slowdown under load.
 * The split follows how contention acts (it stretches a whole layer, whatever its shape), so the
 * shape regression is fitted on clean idle runs and the load model on whole-run ratios, not on
 * noisy loaded per-layer times (end–edge seed's dynamic features: busy threads, CPU, free memory).
 */
export interface ClassModel {
  readonly form: Form;
  readonly fit: LinearFit;
  /** Slowdown factor over [busyThreads, cpuUtilisation, freeMemoryGB]; absent: load-blind. */
  readonly load?: LinearFit;
  /** Per size feature, the [min, max] it was trained on: beyond 2× of it the class abstains. */
  readonly range?: readonly (readonly [number, number])[];
}

const REACH = 2;

/** Whether a layer lies within the sizes the class model was trained on (up to REACH× beyond). */
export function covers(m: ClassModel, f: LayerFeatures): boolean {
  if (!m.range) return true;
  return sizes(f).every((v, j) => {
    const [lo, hi] = m.range?.[j] ?? [0, Infinity];
    return v >= lo / REACH && v <= hi * REACH;
  });
}

/** GEMM view of a layer (im2col): M filters × N output positions × K reduction length. */
function gemmDims(f: LayerFeatures): { k: number; n: number } {
  const outElems = Math.max(1, f.outputBytes / 4);
  return { k: f.macs > 0 ? f.macs / outElems : 0, n: outElems / Math.max(1, f.filters) };
}

/**
 * Sizes, and the three faces of the layer's GEMM (kernel and filters enter through K and M):
 * M·N outputs written, K·M weights read, K·N the im2col buffer a k×k convolution builds.
 */
function sizes(f: LayerFeatures): number[] {
  const { k, n } = gemmDims(f);
  const m = Math.max(1, f.filters);
  return [f.macs, f.elementOps, f.inputBytes, f.outputBytes, f.params, m * n, k * m, f.kernel > 1 ? k * n : 0];
}

/** The feature row of one form for an idle device: raw sizes, log sizes, or sizes with squares. */
export function row(form: Form, f: LayerFeatures): number[] {
  const s = sizes(f);
  if (form === 'log') return s.map((v) => Math.log1p(v));
  if (form === 'poly') return [...s, f.macs * f.macs * 1e-9, f.inputBytes * f.outputBytes * 1e-9];
  return s;
}

const loadRow = (l: LoadFeatures): number[] => [l.busyThreads ?? 0, l.cpuUtilisation, l.freeMemoryGB];
const isIdle = (s: Sample): boolean => (s.load.busyThreads ?? 0) === 0;

export function fitForm(form: Form, samples: readonly Sample[]): ClassModel {
  const idle = samples.some(isIdle) ? samples.filter(isIdle) : samples;
  const rows = idle.map((s) => row(form, s.features));
  const y = idle.map((s) => (form === 'log' ? Math.log(Math.max(s.ms, 1e-4)) : s.ms));
  // Sizes only add time (non-negative terms); the log form is a power law, fitted by ridge.
  const shape = { form, fit: form === 'log' ? fitLinear(rows, y, 1e-3) : fitNonNegative(rows, y, idle.map((s) => 1 / Math.max(s.ms, 0.05))) };
  const all = idle.map((s) => sizes(s.features));
  const range = (all[0] ?? []).map((_, j) => [Math.min(...all.map((r) => r[j] as number)), Math.max(...all.map((r) => r[j] as number))] as const);
  return { ...shape, load: fitLoad(shape, samples), range };
}

/**
 * Slowdown = measured ÷ idle prediction, one point per model and load level (ratio of sums, so
 * a few throttled layers do not swing it), weighted by the time at stake.
 */
function fitLoad(shape: ClassModel, samples: readonly Sample[]): LinearFit | undefined {
  const runs = new Map<string, { load: LoadFeatures; ms: number; idleMs: number }>();
  for (const s of samples) {
    const key = `${s.model}\u0000${s.load.busyThreads ?? 0}`;
    const r = runs.get(key) ?? { load: s.load, ms: 0, idleMs: 0 };
    r.ms += s.ms;
    r.idleMs += idleMs(shape, s.features);
    runs.set(key, r);
  }
  const points = [...runs.values()].filter((r) => r.idleMs > 0);
  if (!points.some((p) => (p.load.busyThreads ?? 0) > 0)) return undefined;
  return fitLinear(points.map((p) => loadRow(p.load)), points.map((p) => p.ms / p.idleMs), 1e-3, points.map((p) => p.idleMs));
}

function idleMs(m: ClassModel, f: LayerFeatures): number {
  const v = predictLinear(m.fit, row(m.form, f));
  return Math.max(0, m.form === 'log' ? Math.exp(v) : v);
}

export function predict(m: ClassModel, f: LayerFeatures, l: LoadFeatures): number {
  const slowdown = m.load ? Math.max(0.5, predictLinear(m.load, loadRow(l))) : 1;
  return idleMs(m, f) * slowdown;
}

/** k-fold cross-validated predictions (deterministic folds by index). */
export function crossValidated(form: Form, samples: readonly Sample[], k = 5): number[] {
  const folds = Math.min(k, samples.length);
  const out = new Array<number>(samples.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const train = samples.filter((_, i) => i % folds !== f);
    const m = fitForm(form, train.length ? train : samples);
    samples.forEach((s, i) => {
      if (i % folds === f) out[i] = predict(m, s.features, s.load);
    });
  }
  return out;
}

/** Cross-validated R² of one form, on idle samples and on all (loaded ones included). */
function scores(form: Form, samples: readonly Sample[]): { idle: number; all: number } {
  const predicted = crossValidated(form, samples);
  const idle = samples.map((s, i) => [s, predicted[i] ?? 0] as const).filter(([s]) => isIdle(s));
  return {
    idle: idle.length ? rSquared(idle.map(([s]) => s.ms), idle.map(([, p]) => p)) : rSquared(samples.map((s) => s.ms), predicted),
    all: rSquared(samples.map((s) => s.ms), predicted),
  };
}

/** Picks the form with the best cross-validated idle R² for one op class. */
export function bestForm(samples: readonly Sample[]): { model: ClassModel; r2: number; r2Loaded: number; cvR2: Record<Form, number> } {
  const all = Object.fromEntries(FORMS.map((f) => [f, scores(f, samples)])) as Record<Form, { idle: number; all: number }>;
  const cvR2 = Object.fromEntries(FORMS.map((f) => [f, all[f].idle])) as Record<Form, number>;
  const form = FORMS.reduce((a, b) => (cvR2[b] > cvR2[a] ? b : a));
  return { model: fitForm(form, samples), r2: all[form].idle, r2Loaded: all[form].all, cvR2 };
}

