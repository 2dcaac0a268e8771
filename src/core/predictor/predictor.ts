import type { OpClass } from '../profiles/types';
import type { LayerFeatures, LoadFeatures } from './features';
import { fitLinear, predictLinear, rSquared, type LinearFit } from './regression';

/** The regression forms tried per op type; the best by cross-validation is kept. */
export type Form = 'linear' | 'log' | 'poly';
export const FORMS: readonly Form[] = ['linear', 'log', 'poly'];

export interface Sample {
  readonly model: string;
  readonly features: LayerFeatures;
  readonly load: LoadFeatures;
  readonly ms: number;
}

export interface ClassModel {
  readonly form: Form;
  readonly fit: LinearFit;
}

const size = (f: LayerFeatures): number[] => [f.macs, f.elementOps, f.inputBytes, f.outputBytes, f.params, f.kernel, f.stride, f.filters];

/** The feature row of one form: raw sizes, log sizes, or sizes with squares and load interactions. */
export function row(form: Form, f: LayerFeatures, l: LoadFeatures): number[] {
  const s = size(f);
  const busy = l.busyThreads ?? 0;
  // Contention slows every part of a layer alike, so load enters multiplied with the sizes.
  const loaded = (xs: number[]): number[] => [...xs, ...xs.map((v) => v * busy), ...xs.map((v) => v * l.cpuUtilisation)];
  if (form === 'log') return [...s.map((v) => Math.log1p(v)), l.cpuUtilisation, Math.log1p(busy), l.freeMemoryGB];
  if (form === 'poly') return [...loaded([...s, f.macs * f.macs * 1e-9, f.inputBytes * f.outputBytes * 1e-9]), busy, l.cpuUtilisation, l.freeMemoryGB];
  return [...loaded(s), busy, l.cpuUtilisation, l.freeMemoryGB];
}

export function fitForm(form: Form, samples: readonly Sample[]): ClassModel {
  const rows = samples.map((s) => row(form, s.features, s.load));
  const y = samples.map((s) => (form === 'log' ? Math.log(Math.max(s.ms, 1e-4)) : s.ms));
  return { form, fit: fitLinear(rows, y, form === 'log' ? 1e-3 : 1e-4) };
}

export function predict(m: ClassModel, f: LayerFeatures, l: LoadFeatures): number {
  const v = predictLinear(m.fit, row(m.form, f, l));
  return Math.max(0, m.form === 'log' ? Math.exp(v) : v);
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

/** Picks the form with the best cross-validated R² for one op class. */
export function bestForm(samples: readonly Sample[]): { model: ClassModel; r2: number; cvR2: Record<Form, number> } {
  const observed = samples.map((s) => s.ms);
  const cvR2 = Object.fromEntries(FORMS.map((f) => [f, rSquared(observed, crossValidated(f, samples))])) as Record<Form, number>;
  const form = FORMS.reduce((a, b) => (cvR2[b] > cvR2[a] ? b : a));
  return { model: fitForm(form, samples), r2: cvR2[form], cvR2 };
}

export type ClassTable = Partial<Record<OpClass, ClassModel>>;
