import type { JobClass, JobType } from './jobTypes';
import { jobTypes } from './jobTypes';

/**
 * The exact optimum of the two-stage case (device → uplink; JPS, Duan & Wu ICPP'21, §4):
 * for any fixed choice of cuts Johnson's rule orders jobs optimally, so it is enough to choose
 * how many jobs of each model take each cut. Types are visited in Johnson order and a dynamic
 * program over "jobs chosen per model so far" keeps only Pareto-optimal (device free, uplink
 * free) pairs, which is exact because later completions are monotone in both.
 * Server and downlink times are ignored here; the caller evaluates the real schedule.
 */
export function twoStageMix(classes: readonly JobClass[], stageA: (t: JobType) => number, stageB: (t: JobType) => number): JobType[] {
  const types = johnsonSorted(jobTypes(classes), stageA, stageB);
  interface State { c1: number; c2: number; prev: State | undefined; type: JobType | undefined; copies: number }
  const start: State = { c1: 0, c2: 0, prev: undefined, type: undefined, copies: 0 };
  let table = new Map<string, State[]>([[classes.map(() => 0).join(','), [start]]]);
  for (const t of types) {
    const cap = (classes[t.cls] as JobClass).count;
    const next = new Map<string, State[]>();
    for (const [key, states] of table) {
      const used = key.split(',').map(Number);
      for (const s of states) {
        let c1 = s.c1;
        let c2 = s.c2;
        for (let m = 0; (used[t.cls] as number) + m <= cap; m++) {
          if (m > 0) {
            c1 += stageA(t);
            c2 = stageB(t) > 0 ? Math.max(c2, c1) + stageB(t) : c2;
          }
          const counts = [...used];
          counts[t.cls] = (counts[t.cls] as number) + m;
          const k = counts.join(',');
          const bucket = next.get(k) ?? [];
          addPareto(bucket, { c1, c2, prev: s, type: m > 0 ? t : undefined, copies: m });
          next.set(k, bucket);
        }
      }
    }
    table = next;
  }
  const final = table.get(classes.map((c) => c.count).join(',')) ?? [];
  let best = final[0];
  for (const s of final) if (best && Math.max(s.c1, s.c2) < Math.max(best.c1, best.c2)) best = s;
  const mix: JobType[] = [];
  for (let s = best; s; s = s.prev) for (let i = 0; i < s.copies; i++) if (s.type) mix.unshift(s.type);
  return mix;
}

/** Johnson's rule on types: a ≤ b by ascending a, then the rest by descending b. */
export function johnsonSorted(types: readonly JobType[], a: (t: JobType) => number, b: (t: JobType) => number): JobType[] {
  const first = types.filter((t) => a(t) <= b(t)).sort((x, y) => a(x) - a(y));
  const second = types.filter((t) => a(t) > b(t)).sort((x, y) => b(y) - b(x));
  return [...first, ...second];
}

function addPareto<S extends { c1: number; c2: number }>(bucket: S[], s: S): void {
  for (const o of bucket) if (o.c1 <= s.c1 + 1e-12 && o.c2 <= s.c2 + 1e-12) return;
  for (let i = bucket.length - 1; i >= 0; i--) {
    const o = bucket[i] as S;
    if (s.c1 <= o.c1 && s.c2 <= o.c2) bucket.splice(i, 1);
  }
  bucket.push(s);
}
