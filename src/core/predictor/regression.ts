/**
 * Ridge least squares on standardised features: small, dependency-free, deterministic.
 * Solves (XᵀX + λI)w = Xᵀy by Gaussian elimination with partial pivoting.
 */
export interface LinearFit {
  readonly weights: readonly number[];
  readonly bias: number;
  readonly means: readonly number[];
  readonly scales: readonly number[];
}

export function fitLinear(rows: readonly (readonly number[])[], y: readonly number[], lambda = 1e-6): LinearFit {
  const d = rows[0]?.length ?? 0;
  const n = rows.length;
  const means = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + (r[j] as number), 0) / Math.max(1, n));
  const scales = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + ((r[j] as number) - (means[j] as number)) ** 2, 0) / Math.max(1, n)) || 1);
  const z = rows.map((r) => r.map((v, j) => (v - (means[j] as number)) / (scales[j] as number)));
  const yMean = y.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => z.reduce((s, r) => s + (r[i] as number) * (r[j] as number), 0) + (i === j ? lambda * n : 0)));
  const b = Array.from({ length: d }, (_, i) => z.reduce((s, r, k) => s + (r[i] as number) * ((y[k] as number) - yMean), 0));
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
