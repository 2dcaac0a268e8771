import { tailFeatures, type LayerFeatures, type LoadFeatures } from './features';
import { bestForm, covers, FEATURE_SET, fitForm, predict, type ClassModel, type Form, type Sample } from './predictor';
import { KERNEL_GRID_MODEL, type Session } from './profileSamples';
import type { OpClass } from '../profiles/types';
import { median } from '../profiles/ortProfile';
import { MIN_OUTPUT_BYTES, outputMs } from './outputCost';

/** A fitted device predictor (`edgecut fit --out`), usable as `plan --device FILE`. */
export interface PredictorProfileJson {
  readonly kind: 'predictor';
  readonly name: string;
  readonly description: string;
  /** The feature rows the weights were fitted on (FEATURE_SET); absent: the first set. */
  readonly features?: number;
  readonly classes: Readonly<Partial<Record<OpClass, ClassModel & { readonly r2: number; readonly samples: number }>>>;
  /** Pooled model for op classes with too few samples, and for layers outside a class's range. */
  readonly fallback: ClassModel;
  /** Load conditions assumed when planning (the idle measurement's). */
  readonly baseline: LoadFeatures;
  /**
   * How a plain session's time follows from its layers' profiled times (ONNX Runtime's per-node
   * times leave out its executor between nodes and carry the profiler's own bookkeeping):
   * whole ≈ scale × Σ layer + perLayerMs × layers, fitted on the idle whole-model runs.
   */
  readonly session?: SessionModel;
  /** Older predictors: whole-model minus layer sum, per layer (read when `session` is absent). */
  readonly overheadPerLayerMs?: number;
}

export interface SessionModel {
  readonly scale: number;
  readonly perLayerMs: number;
  /**
   * What handing the session's outputs back costs, ms per MB (outputCost.ts), learnt from the
   * training sessions of large outputs; absent when none had them. The plan charges it to every
   * session's outputs: the model's, and a head's cut tensors.
   */
  readonly outputMsPerMB?: number;
}

export interface FitReport {
  readonly perClass: readonly { opClass: OpClass; form: Form; samples: number; r2: number; r2Loaded: number; cvR2: Record<Form, number> }[];
  /** Each model predicted by a predictor fitted without it (whole-model latency, idle device). */
  readonly leaveOneModelOut: readonly { model: string; measuredMs: number; predictedMs: number; errorPct: number }[];
}

const MIN_SAMPLES = 6;

/**
 * Fits per-op-class predictors (Neurosurgeon's per-layer-type regression; nn-Meter's per-kernel
 * split) and reports R² per class and the leave-one-model-out whole-model error. `sessions`
 * (whole-model runs) teach the per-layer session overhead and are what held-out models are
 * measured by; without them the layer sum stands for the whole model.
 */
export function fitPredictor(name: string, samples: readonly Sample[], baseline: LoadFeatures, sessions: readonly Session[] = []): { predictor: PredictorProfileJson; report: FitReport } {
  const fitted = fitClasses(samples);
  const predictor = assemble(name, samples, baseline, sessions, fitted);
  const perClass = fitted.map((c) => ({ opClass: c.opClass, form: c.model.form, samples: c.samples, r2: c.r2, r2Loaded: c.r2Loaded, cvR2: c.cvR2 }));
  const models = [...new Set(samples.map((s) => s.model))].filter((m) => m !== KERNEL_GRID_MODEL);
  const leaveOneModelOut = models.length < 2 ? [] : models.map((model) => leaveOut(model, name, samples, baseline, sessions));
  return { predictor, report: { perClass, leaveOneModelOut } };
}

/** The held-out model's idle whole-model time against a predictor fitted without it. */
export function leaveOut(model: string, name: string, samples: readonly Sample[], baseline: LoadFeatures, sessions: readonly Session[], alsoWithout: readonly string[] = []) {
  const held = samples.filter((s) => s.model === model && (s.load.busyThreads ?? 0) === 0);
  const out = new Set([model, ...alsoWithout]);
  const p = fitAll(name, samples.filter((s) => !out.has(s.model)), baseline, sessions.filter((s) => !out.has(s.model)));
  const session = sessions.find((s) => s.model === model && s.busyThreads === 0);
  const measuredMs = session?.wholeMs ?? held.reduce((s, x) => s + x.ms, 0);
  const predictedMs = held.reduce((s, x) => s + predictLayer(p, x.features, x.load), 0) + outputMs(session?.outputBytes ?? 0, p.session?.outputMsPerMB);
  return { model, measuredMs, predictedMs, errorPct: measuredMs > 0 ? (100 * (predictedMs - measuredMs)) / measuredMs : 0 };
}

/**
 * Convolution classes whose layers carry fused element-wise nodes. Their tails vary where their
 * convolutions do not (eight passes over the output in PP-OCR's layers, one in MobileNetV2's), and
 * fitted as one the class split the time between the two by chance: PP-OCR's depthwise layers
 * taught it MobileNetV2's at +20–40 %. The element-wise class, fitted on layers of nothing else,
 * prices the tails (nn-Meter's kernels: each fused op predicted by its own kind's model).
 */
const TAIL_CLASSES: ReadonlySet<string> = new Set<OpClass>(['conv', 'pointwiseConv', 'depthwiseConv']);

/**
 * The best form of every op class with enough samples, with its cross-validated scores. The
 * samples go in model-name order (stable within a model): cross-validation's folds go by sample
 * index, so without it the order profiles were given in chose forms and intercepts, and on the
 * testbed moved PP-OCR cls's held-out prediction by 9 points.
 */
function fitClasses(unordered: readonly Sample[]) {
  const samples = [...unordered].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  const groups = Object.entries(groupByClass(samples)).filter(([, s]) => s.length >= MIN_SAMPLES);
  const elementwise = groups.find(([c]) => c === 'elementwise');
  const tail = elementwise ? bestForm(elementwise[1]).model : undefined;
  return groups.map(([opClass, s]) => {
    if (!tail || !TAIL_CLASSES.has(opClass)) return { opClass: opClass as OpClass, samples: s.length, ...bestForm(s) };
    const fit = bestForm(s.map((x) => ({ ...x, tailMs: tailMs(tail, x.features, x.load) })));
    return { opClass: opClass as OpClass, samples: s.length, ...fit, model: { ...fit.model, tail: true } };
  });
}

/** What a layer's fused element-wise nodes take, priced by the element-wise class. */
function tailMs(elementwise: ClassModel, f: LayerFeatures, load: LoadFeatures): number {
  return f.elementOps > 0 ? predict(elementwise, tailFeatures(f), load) : 0;
}

function fitAll(name: string, samples: readonly Sample[], baseline: LoadFeatures, sessions: readonly Session[]): PredictorProfileJson {
  return assemble(name, samples, baseline, sessions, fitClasses(samples));
}

function assemble(name: string, samples: readonly Sample[], baseline: LoadFeatures, sessions: readonly Session[], fitted: ReturnType<typeof fitClasses>): PredictorProfileJson {
  const classes: Record<string, ClassModel & { r2: number; samples: number }> = {};
  for (const c of fitted) classes[c.opClass] = { ...c.model, r2: c.r2, samples: c.samples };
  return {
    kind: 'predictor',
    name,
    description: `per-op-type latency regression on ${samples.length} measured layers (${[...new Set(samples.map((s) => s.model))].join(', ')})`,
    features: FEATURE_SET,
    classes,
    fallback: { ...fitForm('linear', samples), range: undefined },
    baseline,
    session: sessionModel(sessions.filter((s) => s.busyThreads === 0)),
  };
}

/** How far (a fraction) a training model's own whole ÷ layer sum may stray from the session model's before fit names it. */
export const SESSION_OUTLIER = 0.15;

/**
 * Training models whose idle whole-model runs (loaded ones in `sessions` are passed over) stray from what the session model makes of their
 * layer sums by more than SESSION_OUTLIER (their outputs' cost taken off first): the scale is a
 * median, so it does not follow them, and a held-out model like one of them is predicted off by
 * about as much. On the testbed PP-OCR cls, 221 nodes of ~7 µs, runs at 0.75–0.82× its layer sum
 * in every bench, where the other models are within 0.96–1.04.
 */
export function sessionOutliers(sessions: readonly Session[], model: SessionModel): { model: string; ratio: number }[] {
  return sessions.flatMap((s) => {
    if (s.busyThreads !== 0 || s.layerSumMs <= 0) return [];
    const ratio = (s.wholeMs - outputMs(s.outputBytes ?? 0, model.outputMsPerMB)) / layersMs(model, s);
    return Math.abs(ratio - 1) > SESSION_OUTLIER ? [{ model: s.model, ratio }] : [];
  });
}

/** What the session model makes of a session's layers (its outputs' cost aside). */
const layersMs = (model: SessionModel, s: Session): number => model.scale * s.layerSumMs + model.perLayerMs * s.layers;

/** A session's scale may not stray further than this from 1 (a few models cannot pin it down). */
const SCALE_BOUNDS = [0.8, 1.25] as const;

/**
 * whole = scale·Σlayer + perLayerMs·layers by least squares on relative error (small models count
 * as much as large ones). With one session, or when the two do not separate, the scale stays 1
 * and the per-layer term takes the difference. Sessions whose profiles measured the profiler's
 * bookkeeping (their layer sums are without it) get a scale only: the per-layer term stood for
 * that bookkeeping, and fitted on what is left it learns the training models' memory traffic
 * and charges it to every layer of a model of many small ones. That scale is the median of the
 * sessions' whole ÷ layer sum: one model whose bookkeeping the calibration under-corrects (PP-OCR
 * cls: 0.77, the others 0.97–1.02) would pull a least-squares scale, and every prediction, by 3 %.
 *
 * Handing the outputs back (outputCost.ts) is the time the sessions of large outputs took
 * beyond that, per MB of their outputs (Σ excess ÷ Σ MB, never negative); it comes off their
 * whole before the scale is taken again, as it belongs to the outputs and the plan charges it
 * there. Sessions of small outputs, or whose profiles did not record them, learn nothing of it.
 */
export function sessionModel(idle: readonly Session[]): SessionModel {
  let model = layerSessionModel(idle);
  const large = idle.filter((s) => (s.outputBytes ?? 0) >= MIN_OUTPUT_BYTES);
  if (!large.length) return model;
  const mb = large.reduce((sum, s) => sum + (s.outputBytes ?? 0), 0) / 1e6;
  let perMB = 0;
  // Twice: the first scale still carries a little of every session's outputs.
  for (let pass = 0; pass < 2; pass++) {
    const m = model;
    perMB = Math.max(0, large.reduce((sum, s) => sum + s.wholeMs - layersMs(m, s), 0) / mb);
    model = layerSessionModel(idle.map((s) => ({ ...s, wholeMs: s.wholeMs - outputMs(s.outputBytes ?? 0, perMB) })));
  }
  return { ...model, outputMsPerMB: perMB };
}

function layerSessionModel(idle: readonly Session[]): SessionModel {
  const plausible = (scale: number): boolean => scale >= SCALE_BOUNDS[0] && scale <= SCALE_BOUNDS[1];
  if (idle.length > 0 && idle.every((s) => s.calibrated)) {
    const ratios = idle.filter((s) => s.layerSumMs > 0).map((s) => s.wholeMs / s.layerSumMs);
    const scale = ratios.length ? median(ratios) : 1;
    return { scale: plausible(scale) ? scale : 1, perLayerMs: 0 };
  }
  const perLayerOnly = (): SessionModel => {
    const layers = idle.reduce((s, x) => s + x.layers, 0);
    return { scale: 1, perLayerMs: layers > 0 ? idle.reduce((s, x) => s + x.wholeMs - x.layerSumMs, 0) / layers : 0 };
  };
  const w = idle.map((s) => 1 / Math.max(s.wholeMs, 1e-3) ** 2);
  let saa = 0, sab = 0, sbb = 0, say = 0, sby = 0;
  idle.forEach((s, i) => {
    const k = w[i] as number;
    saa += k * s.layerSumMs * s.layerSumMs;
    sab += k * s.layerSumMs * s.layers;
    sbb += k * s.layers * s.layers;
    say += k * s.layerSumMs * s.wholeMs;
    sby += k * s.layers * s.wholeMs;
  });
  if (idle.length < 3) return perLayerOnly();
  const det = saa * sbb - sab * sab;
  if (Math.abs(det) < 1e-12 * saa * sbb) return perLayerOnly();
  const scale = (say * sbb - sab * sby) / det;
  if (!plausible(scale)) return perLayerOnly();
  return { scale, perLayerMs: (saa * sby - sab * say) / det };
}

export function predictLayer(p: PredictorProfileJson, f: Sample['features'], load: LoadFeatures): number {
  const own = p.classes[f.opClass];
  const elementwise = p.classes.elementwise;
  const ms = own && covers(own, f) ? predict(own, f, load) + (own.tail && elementwise ? tailMs(elementwise, f, load) : 0) : predict(p.fallback, f, load);
  const session = p.session ?? { scale: 1, perLayerMs: p.overheadPerLayerMs ?? 0 };
  return Math.max(0, session.scale * ms + session.perLayerMs);
}

function groupByClass(samples: readonly Sample[]): Record<string, Sample[]> {
  const out: Record<string, Sample[]> = {};
  for (const s of samples) (out[s.features.opClass] ??= []).push(s);
  return out;
}

