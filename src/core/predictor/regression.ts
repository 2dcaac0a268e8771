/**
 * Ridge least squares on standardised features: small, dependency-free, deterministic.
 * Solves (XᵀWX + λI)w = XᵀWy (W: optional sample weights) by Gaussian elimination with
 * partial pivoting.
 */
export interface LinearFit {
  readonly weights: readonly number[];
  readonly bias: number;
  readonly means: readonly number[];
  readonly scales: readonly number[];
}

export function fitLinear(rows: readonly (readonly number[])[], y: readonly number[], lambda = 1e-6, sampleWeights?: readonly number[]): LinearFit {
  const d = rows[0]?.length ?? 0;
  const w = (k: number): number => sampleWeights?.[k] ?? 1;
  const total = rows.reduce((s, _, k) => s + w(k), 0) || 1;
  const means = Array.from({ length: d }, (_, j) => rows.reduce((s, r, k) => s + w(k) * (r[j] as number), 0) / total);
  const scales = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r, k) => s + w(k) * ((r[j] as number) - (means[j] as number)) ** 2, 0) / total) || 1);
  const z = rows.map((r) => r.map((v, j) => (v - (means[j] as number)) / (scales[j] as number)));
  const yMean = y.reduce((s, v, k) => s + w(k) * v, 0) / total;
  const ridge = lambda * total;
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => z.reduce((s, r, k) => s + w(k) * (r[i] as number) * (r[j] as number), 0) + (i === j ? ridge : 0)));
  const b = Array.from({ length: d }, (_, i) => z.reduce((s, r, k) => s + w(k) * (r[i] as number) * ((y[k] as number) - yMean), 0));
  return { weights: solve(a, b), bias: yMean, means, scales };
}

export function predictLinear(f: LinearFit, row: readonly number[]): number {
  let s = f.bias;
  row.forEach((v, j) => (s += (f.weights[j] ?? 0) * ((v - (f.means[j] ?? 0)) / (f.scales[j] ?? 1))));
  return s;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[p]?.[c] ?? 0)) p = r;
    [a[c], a[p]] = [a[p] as number[], a[c] as number[]];
    [b[c], b[p]] = [b[p] as number, b[c] as number];
    const pivot = a[c]?.[c] ?? 0;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = (a[r]?.[c] ?? 0) / pivot;
      if (f === 0) continue;
      for (let k = c; k < n; k++) (a[r] as number[])[k] = (a[r]?.[k] ?? 0) - f * (a[c]?.[k] ?? 0);
      b[r] = (b[r] ?? 0) - f * (b[c] ?? 0);
    }
  }
  return b.map((v, i) => (Math.abs(a[i]?.[i] ?? 0) < 1e-12 ? 0 : v / (a[i]?.[i] as number)));
}

/** Coefficient of determination of predictions against observations. */
export function rSquared(observed: readonly number[], predicted: readonly number[]): number {
  const mean = observed.reduce((s, v) => s + v, 0) / Math.max(1, observed.length);
  const ssTot = observed.reduce((s, v) => s + (v - mean) ** 2, 0);
  const ssRes = observed.reduce((s, v, i) => s + (v - (predicted[i] ?? 0)) ** 2, 0);
  return ssTot > 0 ? 1 - ssRes / ssTot : 1;
}

/**
 * Non-negative least squares (Lawson–Hanson's problem, solved by cyclic coordinate descent on
 * the normal equations) with a non-negative intercept (or none): every term can only add time,
 * so a layer far outside the training range is not predicted by a difference of large terms.
 */
export function fitNonNegative(rows: readonly (readonly number[])[], y: readonly number[], sampleWeights?: readonly number[], sweeps = 500, intercept = true): LinearFit {
  const d = (rows[0]?.length ?? 0) + (intercept ? 1 : 0);
  const w = (k: number): number => sampleWeights?.[k] ?? 1;
  const x = rows.map((r) => (intercept ? [...r, 1] : [...r]));
  const scales = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((s, r, k) => s + w(k) * (r[j] as number) ** 2, 0) / Math.max(1, x.length)) || 1);
  const z = x.map((r) => r.map((v, j) => v / (scales[j] as number)));
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => z.reduce((s, r, k) => s + w(k) * (r[i] as number) * (r[j] as number), 0)));
  const b = Array.from({ length: d }, (_, i) => z.reduce((s, r, k) => s + w(k) * (r[i] as number) * (y[k] as number), 0));
  const c = new Array<number>(d).fill(0);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = 0;
    for (let j = 0; j < d; j++) {
      const ajj = a[j]?.[j] ?? 0;
      if (ajj <= 0) continue;
      const grad = (a[j] as number[]).reduce((s, v, k) => s + v * (c[k] as number), 0) - (b[j] as number);
      const next = Math.max(0, (c[j] as number) - grad / ajj);
      moved = Math.max(moved, Math.abs(next - (c[j] as number)));
      c[j] = next;
    }
    if (moved < 1e-12) break;
  }
  // As a LinearFit: no centring, the intercept term's weight is the bias.
  const n = intercept ? d - 1 : d;
  return { weights: c.slice(0, n), bias: intercept ? (c[d - 1] as number) / (scales[d - 1] as number) : 0, means: new Array<number>(n).fill(0), scales: scales.slice(0, n) };
}
