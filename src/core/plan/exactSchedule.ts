import { advance, jobTypes, type JobClass, type JobType } from './jobTypes';

/**
 * Exact minimum makespan over all permutation schedules and all per-job cut choices, by dynamic
 * programming over "jobs left per model" with Pareto-pruned resource states (a job's future
 * depends only on when each resource becomes free). Returns undefined when the state space
 * grows past `limit` states, so callers know the instance is too big to prove.
 */
export function exactSchedule(classes: readonly JobClass[], limit = 400_000): { makespan: number; sequence: JobType[] } | undefined {
  const types = jobTypes(classes);
  interface State { f: number[]; prev: State | undefined; type: JobType | undefined }
  let layer = new Map<string, State[]>([[key(classes.map((c) => c.count)), [{ f: [0, 0, 0, 0, 0], prev: undefined, type: undefined }]]]);
  let states = 1;
  const total = classes.reduce((s, c) => s + c.count, 0);
  for (let step = 0; step < total; step++) {
    const next = new Map<string, State[]>();
    for (const [k, list] of layer) {
      const left = k.split(',').map(Number);
      for (const s of list) {
        for (const t of types) {
          if ((left[t.cls] as number) <= 0) continue;
          left[t.cls] = (left[t.cls] as number) - 1;
          const nk = key(left);
          left[t.cls] = (left[t.cls] as number) + 1;
          const f = advance(s.f, t);
          const bucket = next.get(nk) ?? [];
          if (insertPareto(bucket, { f, prev: s, type: t })) states++;
          next.set(nk, bucket);
          if (states > limit) return undefined;
        }
      }
    }
    layer = next;
  }
  let best: State | undefined;
  for (const list of layer.values()) for (const s of list) if (!best || (s.f[4] as number) < (best.f[4] as number)) best = s;
  const sequence: JobType[] = [];
  for (let s = best; s?.type; s = s.prev) sequence.unshift(s.type);
  return { makespan: best?.f[4] ?? 0, sequence };
}

function key(counts: readonly number[]): string {
  return counts.join(',');
}

/** Adds a state unless one already there is no later on every resource; drops those it beats. */
function insertPareto<S extends { f: number[] }>(bucket: S[], s: S): boolean {
  const dominates = (a: number[], b: number[]): boolean => a.every((x, i) => x <= (b[i] as number) + 1e-9);
  if (bucket.some((o) => dominates(o.f.slice(0, 4), s.f.slice(0, 4)) && (o.f[4] as number) <= (s.f[4] as number) + 1e-9)) return false;
  for (let i = bucket.length - 1; i >= 0; i--) {
    const o = bucket[i] as S;
    if (dominates(s.f.slice(0, 4), o.f.slice(0, 4)) && (s.f[4] as number) <= (o.f[4] as number) + 1e-9) bucket.splice(i, 1);
  }
  bucket.push(s);
  return true;
}
