import type { LoadFeatures } from './features';
import { bestForm, fitForm, predict, type ClassModel, type Form, type Sample } from './predictor';
import type { OpClass } from '../profiles/types';

/** A fitted device predictor (`edgecut fit --out`), usable as `plan --device FILE`. */
export interface PredictorProfileJson {
  readonly kind: 'predictor';
  readonly name: string;
  readonly description: string;
  readonly classes: Readonly<Partial<Record<OpClass, ClassModel & { readonly r2: number; readonly samples: number }>>>;
  /** Pooled model for op classes with too few samples. */
  readonly fallback: ClassModel;
  /** Load conditions assumed when planning (the idle measurement's). */
  readonly baseline: LoadFeatures;
}

export interface FitReport {
  readonly perClass: readonly { opClass: OpClass; form: Form; samples: number; r2: number; cvR2: Record<Form, number> }[];
  /** Each model predicted by a predictor fitted without it (whole-model latency, idle device). */
  readonly leaveOneModelOut: readonly { model: string; measuredMs: number; predictedMs: number; errorPct: number }[];
}

const MIN_SAMPLES = 6;

export function fitPredictor(name: string, samples: readonly Sample[], baseline: LoadFeatures): { predictor: PredictorProfileJson; report: FitReport } {
  const predictor = fitAll(name, samples, baseline);
  const perClass = Object.entries(groupByClass(samples))
    .filter(([, s]) => s.length >= MIN_SAMPLES)
    .map(([opClass, s]) => {
      const b = bestForm(s);
      return { opClass: opClass as OpClass, form: b.model.form, samples: s.length, r2: b.r2, cvR2: b.cvR2 };
    });
  const models = [...new Set(samples.map((s) => s.model))];
  const leaveOneModelOut = models.length < 2 ? [] : models.map((model) => {
    const held = samples.filter((s) => s.model === model && (s.load.busyThreads ?? 0) === 0);
    const p = fitAll(name, samples.filter((s) => s.model !== model), baseline);
    const measuredMs = held.reduce((s, x) => s + x.ms, 0);
    const predictedMs = held.reduce((s, x) => s + predictLayer(p, x.features, x.load), 0);
    return { model, measuredMs, predictedMs, errorPct: measuredMs > 0 ? (100 * (predictedMs - measuredMs)) / measuredMs : 0 };
  });
  return { predictor, report: { perClass, leaveOneModelOut } };
}

function fitAll(name: string, samples: readonly Sample[], baseline: LoadFeatures): PredictorProfileJson {
  const classes: Record<string, ClassModel & { r2: number; samples: number }> = {};
  for (const [opClass, s] of Object.entries(groupByClass(samples))) {
    if (s.length < MIN_SAMPLES) continue;
    const b = bestForm(s);
    classes[opClass] = { ...b.model, r2: b.r2, samples: s.length };
  }
  return {
    kind: 'predictor',
    name,
    description: `per-op-type latency regression on ${samples.length} measured layers (${[...new Set(samples.map((s) => s.model))].join(', ')})`,
    classes,
    fallback: fitForm('log', samples),
    baseline,
  };
}

export function predictLayer(p: PredictorProfileJson, f: Sample['features'], load: LoadFeatures): number {
  return predict(p.classes[f.opClass] ?? p.fallback, f, load);
}

function groupByClass(samples: readonly Sample[]): Record<string, Sample[]> {
  const out: Record<string, Sample[]> = {};
  for (const s of samples) (out[s.features.opClass] ??= []).push(s);
  return out;
}

