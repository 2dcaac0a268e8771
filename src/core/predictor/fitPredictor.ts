import type { LoadFeatures } from './features';
import { bestForm, covers, fitForm, predict, type ClassModel, type Form, type Sample } from './predictor';
import { KERNEL_GRID_MODEL, type Session } from './profileSamples';
import type { OpClass } from '../profiles/types';

/** A fitted device predictor (`edgecut fit --out`), usable as `plan --device FILE`. */
export interface PredictorProfileJson {
  readonly kind: 'predictor';
  readonly name: string;
  readonly description: string;
  readonly classes: Readonly<Partial<Record<OpClass, ClassModel & { readonly r2: number; readonly samples: number }>>>;
  /** Pooled model for op classes with too few samples, and for layers outside a class's range. */
  readonly fallback: ClassModel;
  /** Load conditions assumed when planning (the idle measurement's). */
  readonly baseline: LoadFeatures;
  /**
   * What a session spends per layer outside the layers' own kernels (ONNX Runtime's per-node
   * times leave out its executor between nodes): whole-model minus layer sum, per layer, idle.
   */
  readonly overheadPerLayerMs?: number;
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
  const predictedMs = held.reduce((s, x) => s + predictLayer(p, x.features, x.load), 0);
  return { model, measuredMs, predictedMs, errorPct: measuredMs > 0 ? (100 * (predictedMs - measuredMs)) / measuredMs : 0 };
}

/** The best form of every op class with enough samples, with its cross-validated scores. */
function fitClasses(samples: readonly Sample[]) {
  return Object.entries(groupByClass(samples))
    .filter(([, s]) => s.length >= MIN_SAMPLES)
    .map(([opClass, s]) => ({ opClass: opClass as OpClass, samples: s.length, ...bestForm(s) }));
}

function fitAll(name: string, samples: readonly Sample[], baseline: LoadFeatures, sessions: readonly Session[]): PredictorProfileJson {
  return assemble(name, samples, baseline, sessions, fitClasses(samples));
}

function assemble(name: string, samples: readonly Sample[], baseline: LoadFeatures, sessions: readonly Session[], fitted: ReturnType<typeof fitClasses>): PredictorProfileJson {
  const classes: Record<string, ClassModel & { r2: number; samples: number }> = {};
  for (const c of fitted) classes[c.opClass] = { ...c.model, r2: c.r2, samples: c.samples };
  const idle = sessions.filter((s) => s.busyThreads === 0);
  const layers = idle.reduce((s, x) => s + x.layers, 0);
  return {
    kind: 'predictor',
    name,
    description: `per-op-type latency regression on ${samples.length} measured layers (${[...new Set(samples.map((s) => s.model))].join(', ')})`,
    classes,
    fallback: { ...fitForm('linear', samples), range: undefined },
    baseline,
    overheadPerLayerMs: layers > 0 ? Math.max(0, idle.reduce((s, x) => s + x.wholeMs - x.layerSumMs, 0) / layers) : 0,
  };
}

export function predictLayer(p: PredictorProfileJson, f: Sample['features'], load: LoadFeatures): number {
  const own = p.classes[f.opClass];
  return predict(own && covers(own, f) ? own : p.fallback, f, load) + (p.overheadPerLayerMs ?? 0);
}

function groupByClass(samples: readonly Sample[]): Record<string, Sample[]> {
  const out: Record<string, Sample[]> = {};
  for (const s of samples) (out[s.features.opClass] ??= []).push(s);
  return out;
}
