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
  /**
   * Of `ms`, what the layer's fused element-wise nodes take as the elementwise class prices them
   * (fitPredictor's tail): the layer's own class fits the rest. Absent: the class fits all of it.
   */
  readonly tailMs?: number;
}

/** A priced tail leaves the layer's own class at least this fraction of the measured time. */
const TAIL_FLOOR = 0.3;

/** The time the sample's own class is fitted on: its measured time less its priced tail. */
const ownMs = (s: Sample): number => (s.tailMs ? Math.max(TAIL_FLOOR * s.ms, s.ms - s.tailMs) : s.ms);

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
  /** Fitted without the layers' fused element-wise nodes, which the elementwise class prices (fitPredictor's tailMs). */
  readonly tail?: boolean;
}

/** Which feature rows a fitted ClassModel's weights belong to; bumped when `sizes`, or what a feature counts, changes (6: HardSigmoid is arithmetic). */
export const FEATURE_SET = 6;

const REACH = 2;

/** The columns of `sizes` that count element-wise work (arithmetic, copies, special). */
const ELEMENT_COLUMNS: ReadonlySet<number> = new Set([1, 2, 3]);

/**
 * Whether a layer lies within the sizes the class model was trained on (up to REACH× beyond),
 * as the class prices them (ownSizes): a class fitted without its fused tails is judged on its
 * convolution's sizes only.
 */
export function covers(m: ClassModel, f: LayerFeatures): boolean {
  if (!m.range) return true;
  return ownSizes(m, f).every((v, j) => {
    const [lo, hi] = m.range?.[j] ?? [0, Infinity];
    return v >= lo / REACH && v <= hi * REACH;
  });
}

/**
 * GEMM view of a layer (im2col): M filters × N output positions × K reduction length, and the
 * elements of the im2col buffers it builds, K·N once per group (a grouped convolution expands
 * every group's input channels: RegNet's 3×3 convs of 6–55 groups, priced as one group's
 * buffer, were predicted at 0.7× their time). Only the conv class counts groups: depthwise
 * convs, one channel a group, are a class of their own and keep the K·N they were fitted on.
 */
function gemmDims(f: LayerFeatures): { k: number; n: number; buffer: number } {
  const outElems = Math.max(1, f.outputBytes / 4);
  const k = f.macs > 0 ? f.macs / outElems : 0;
  const n = outElems / Math.max(1, f.filters);
  return { k, n, buffer: k * n * (f.opClass === 'conv' ? (f.groups ?? 1) : 1) };
}

/** Whether im2colRowsOf estimates this layer's rows: a k×k convolution from a profile that did not record them. */
export const im2colRowsEstimated = (f: LayerFeatures): boolean => f.im2colRows === undefined && f.kernel > 1 && (f.opClass === 'conv' || f.opClass === 'depthwiseConv');

/**
 * The layer's im2col rows (features.ts), or for a profile written before they were recorded,
 * their count on square maps: input channels (input elements ÷ the input map, output positions ×
 * stride²) × kernel positions × √(output positions).
 */
export function im2colRowsOf(f: LayerFeatures): number {
  if (f.im2colRows !== undefined) return f.im2colRows;
  if (!im2colRowsEstimated(f)) return 0;
  const positions = Math.max(1, f.outputBytes / 4 / Math.max(1, f.filters));
  const channels = f.inputBytes / 4 / (positions * f.stride * f.stride);
  return Math.round(channels * f.kernel * Math.sqrt(positions));
}

/**
 * Sizes, and the faces of the layer's GEMM (kernel and filters enter through K and M): M·N
 * outputs written, K·M weights read, K·N the im2col buffer a k×k convolution builds, the rows it
 * copies that buffer in (a per-row cost: narrow or small maps pay it per few MACs), and N, the
 * output positions, whatever the filters (work done once per position for all M filters: without
 * it the outputs' weight stood in and charged it per filter; with it leave-one-model-out on the
 * testbed's profiles fell from 6.8 to 5.4 % mean error). A strided convolution's im2col buffer
 * counts once more: MLAS copies a stride-1 row four floats at a time and gathers a strided one
 * float by float (MlasConvIm2Col), so SqueezeNet's 3×3 stride-2 first conv, priced as stride-1
 * copies, was predicted at 1.7× its time. Element-wise work is split by kind: a copied element
 * costs a fraction of a Sigmoid's.
 */
function sizes(f: LayerFeatures): number[] {
  const { k, n, buffer } = gemmDims(f);
  const m = Math.max(1, f.filters);
  const copy = f.copyElements ?? 0;
  const special = f.specialOps ?? 0;
  return [f.macs, Math.max(0, f.elementOps - copy - special), copy, special, f.inputBytes, f.outputBytes, f.params, m * n, k * m, f.kernel > 1 ? buffer : 0, im2colRowsOf(f), n, f.stride > 1 ? buffer : 0];
}

/**
 * The feature row of one form for an idle device: raw sizes, log sizes, or a polynomial in the
 * sizes (square roots, which let a small layer cost less than a straight line through large
 * ones would say, and squares of the work and the data). `s`: the layer's sizes as a class
 * prices them (ownSizes).
 */
export function row(form: Form, f: LayerFeatures, s: number[] = sizes(f)): number[] {
  if (form === 'log') return s.map((v) => Math.log1p(v));
  if (form === 'poly') return [...s, ...s.map(Math.sqrt), f.macs * f.macs * 1e-9, f.inputBytes * f.outputBytes * 1e-9];
  return s;
}

const loadRow = (l: LoadFeatures): number[] => [l.busyThreads ?? 0, l.cpuUtilisation, l.freeMemoryGB];
const isIdle = (s: Sample): boolean => (s.load.busyThreads ?? 0) === 0;

/**
 * Fits one form. Sizes only add time (non-negative terms); `intercept` adds a fixed time per
 * layer. Without one a layer of no size takes none; bestForm keeps it only where cross-validation
 * says the class has a fixed cost. The log form is a power law, fitted by ridge.
 */
export function fitForm(form: Form, samples: readonly Sample[], intercept = false): ClassModel {
  const idle = samples.some(isIdle) ? samples.filter(isIdle) : samples;
  const rows = idle.map((s) => row(form, s.features));
  const y = idle.map((s) => (form === 'log' ? Math.log(Math.max(ownMs(s), 1e-4)) : ownMs(s)));
  const shape = { form, fit: form === 'log' ? fitLinear(rows, y, 1e-3) : fitNonNegative(rows, y, idle.map((s) => 1 / Math.sqrt(Math.max(ownMs(s), 0.05))), 500, intercept) };
  const all = idle.map((s) => sizes(s.features));
  const range = (all[0] ?? []).map((_, j) => [Math.min(...all.map((r) => r[j] as number)), Math.max(...all.map((r) => r[j] as number))] as const);
  return { ...shape, load: fitLoad(samples, calibration(shape, idle)), range };
}

/** Below these spreads (busy threads, CPU utilisation, free GB) a load feature taught nothing. */
const MIN_LOAD_SPREAD = [0.5, 0.05, 0.25];
/** Which way each load feature may act: busy threads and utilisation slow, free memory speeds. */
const LOAD_SIGN = [1, 1, -1];

/**
 * Slowdown under load = a model's time at a load level ÷ its own idle time (ratio of sums, so a
 * few throttled layers do not swing it), weighted by the time at stake, fitted through 1 at the
 * idle load. A feature that hardly moved between a model's idle and loaded runs is left out: on
 * the testbed the host-wide CPU utilisation and free memory wander by hundredths, and a fit that
 * explained its residuals with them inflated a held-out model's idle time by 75 %. Each feature
 * may act only its physical way (non-negative least squares on signed deltas): a run disturbed
 * from outside once taught a free fit that a busier CPU made layers twice as fast.
 */
function fitLoad(samples: readonly Sample[], idleScale: number): LinearFit | undefined {
  const runs = new Map<string, { model: string; busy: number; load: number[]; ms: number; n: number }>();
  for (const s of samples) {
    const busy = s.load.busyThreads ?? 0;
    const key = `${s.model}\u0000${busy}`;
    const r = runs.get(key) ?? { model: s.model, busy, load: new Array<number>(3).fill(0), ms: 0, n: 0 };
    loadRow(s.load).forEach((v, j) => (r.load[j] = (r.load[j] as number) + v));
    r.ms += s.ms;
    r.n++;
    runs.set(key, r);
  }
  const mean = (r: { load: number[]; n: number }): number[] => r.load.map((v) => v / r.n);
  const points = [...runs.values()].flatMap((r) => {
    const idle = runs.get(`${r.model}\u00000`);
    if (r.busy === 0 || !idle || idle.ms <= 0) return [];
    const at = mean(r);
    const from = mean(idle);
    return [{ delta: at.map((v, j) => v - (from[j] as number)), slowdown: r.ms / idle.ms, weight: idle.ms }];
  });
  if (!points.length) return idleScale === 1 ? undefined : { weights: [0, 0, 0], bias: idleScale, means: [0, 0, 0], scales: [1, 1, 1] };
  const learnable = MIN_LOAD_SPREAD.map((min, j) => Math.max(...points.map((p) => Math.abs(p.delta[j] as number))) >= min);
  const fit = fitNonNegative(
    points.map((p) => p.delta.map((v, j) => (learnable[j] ? v * (LOAD_SIGN[j] as number) : 0))),
    points.map((p) => p.slowdown - 1),
    points.map((p) => p.weight),
    500,
    false,
  );
  const idleRuns = [...runs.values()].filter((r) => r.busy === 0);
  const reference = [0, 1, 2].map((j) => idleRuns.reduce((s, r) => s + (mean(r)[j] as number), 0) / Math.max(1, idleRuns.length));
  return { weights: fit.weights.map((w, j) => w * (LOAD_SIGN[j] as number) * idleScale), bias: idleScale, means: reference, scales: fit.scales };
}

/** Measured over predicted idle time of the training layers: the shape fit's bias in total time. */
function calibration(shape: ClassModel, idle: readonly Sample[]): number {
  const predicted = idle.reduce((s, x) => s + idleMs(shape, x.features), 0);
  return predicted > 0 ? idle.reduce((s, x) => s + ownMs(x), 0) / predicted : 1;
}

/**
 * The sizes a class model prices a layer by. A class fitted without its fused tails keeps its
 * element-wise columns within the range it was trained on: there they only take up what the
 * element-wise class mispriced of its training layers' tails, which says nothing of a tail of
 * another kind. Without the bound, EfficientNet's SiLU tails (Sigmoid, which no other network's
 * depthwise convolutions carry) put its depthwise convolutions outside the class, and the pooled
 * fallback priced the first at 0.53× its time (the model held out, on the testbed's profiles:
 * −10.1 %; bounded: −3.1 %).
 */
function ownSizes(m: ClassModel, f: LayerFeatures): number[] {
  const s = sizes(f);
  const range = m.tail ? m.range : undefined;
  if (!range) return s;
  return s.map((v, j) => {
    const [lo, hi] = range[j] ?? [v, v];
    return ELEMENT_COLUMNS.has(j) ? Math.min(Math.max(v, lo), hi) : v;
  });
}

function idleMs(m: ClassModel, f: LayerFeatures): number {
  const v = predictLinear(m.fit, row(m.form, f, ownSizes(m, f)));
  return Math.max(0, m.form === 'log' ? Math.exp(v) : v);
}

export function predict(m: ClassModel, f: LayerFeatures, l: LoadFeatures): number {
  const slowdown = m.load ? Math.max(0.5, predictLinear(m.load, loadRow(l))) : 1;
  return idleMs(m, f) * slowdown;
}

/** k-fold cross-validated predictions of the samples' whole times, priced tails included (deterministic folds by index). */
export function crossValidated(form: Form, samples: readonly Sample[], k = 5, intercept = false): number[] {
  const folds = Math.min(k, samples.length);
  const out = new Array<number>(samples.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const train = samples.filter((_, i) => i % folds !== f);
    const m = fitForm(form, train.length ? train : samples, intercept);
    samples.forEach((s, i) => {
      if (i % folds === f) out[i] = predict(m, s.features, s.load) + s.ms - ownMs(s);
    });
  }
  return out;
}

interface Scores {
  /** Cross-validated R² on idle samples. */
  readonly idle: number;
  /** Cross-validated R² on all samples, loaded ones included. */
  readonly all: number;
  /** Cross-validated mean |ln(predicted ÷ measured)| on idle samples: every layer's error counts alike. */
  readonly relative: number;
  readonly intercept: boolean;
}

/** A time below this (ms) counts as this in the relative error: a layer predicted at 0 is not infinitely wrong. */
const RELATIVE_FLOOR_MS = 1e-3;

function scores(form: Form, samples: readonly Sample[], intercept: boolean): Scores {
  const predicted = crossValidated(form, samples, 5, intercept);
  const idle = samples.map((s, i) => [s, predicted[i] ?? 0] as const).filter(([s]) => isIdle(s));
  const judged = idle.length ? idle : samples.map((s, i) => [s, predicted[i] ?? 0] as const);
  const ln = (ms: number): number => Math.log(Math.max(ms, RELATIVE_FLOOR_MS));
  return {
    idle: rSquared(judged.map(([s]) => s.ms), judged.map(([, p]) => p)),
    all: rSquared(samples.map((s) => s.ms), predicted),
    relative: judged.reduce((sum, [s, p]) => sum + Math.abs(ln(p) - ln(s.ms)), 0) / judged.length,
    intercept,
  };
}

/** By how much (a fraction) an intercept must lower the cross-validated relative error before a class keeps it. */
const INTERCEPT_GAIN = 0.1;

/**
 * A form's better variant (the log form has its own intercept). R², which picks the form, is
 * ruled by the largest layers, and an intercept hardly moves it; but a network of many small
 * layers is a sum of them, so whether a class has a fixed cost per layer is judged by the
 * relative error every layer makes. Kept where it lowers that by a tenth (pointwise convs on the
 * testbed: 0.34 → 0.10; without one PP-OCR cls's 41 of them were predicted at half their time).
 */
function formScores(form: Form, samples: readonly Sample[]): Scores {
  const without = scores(form, samples, form === 'log');
  if (form === 'log') return without;
  const withIt = scores(form, samples, true);
  return withIt.relative < (1 - INTERCEPT_GAIN) * without.relative ? withIt : without;
}

/** Picks the form with the best cross-validated idle R² for one op class. */
export function bestForm(samples: readonly Sample[]): { model: ClassModel; r2: number; r2Loaded: number; cvR2: Record<Form, number> } {
  const all = Object.fromEntries(FORMS.map((f) => [f, formScores(f, samples)])) as Record<Form, Scores>;
  const cvR2 = Object.fromEntries(FORMS.map((f) => [f, all[f].idle])) as Record<Form, number>;
  const form = FORMS.reduce((a, b) => (cvR2[b] > cvR2[a] ? b : a));
  return { model: fitForm(form, samples, all[form].intercept), r2: all[form].idle, r2Loaded: all[form].all, cvR2 };
}

