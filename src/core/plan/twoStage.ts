import type { JobClass, JobType } from './jobTypes';
import { jobTypes } from './jobTypes';

interface State {
  readonly c1: number;
  readonly c2: number;
  /** When the jobs so far that used stage B are done: c2 plus the tail lag (0 when none did). */
  readonly done: number;
  readonly prev: State | undefined;
  readonly type: JobType | undefined;
}

/**
 * The exact optimum of the two-stage case (device → uplink; JPS, Duan & Wu ICPP'21, §4):
 * for any fixed choice of cuts Johnson's rule orders jobs optimally, so it is enough to choose
 * how many jobs of each model take each cut. Types are visited in Johnson order; a dynamic
 * program over "jobs chosen per model so far" (one mixed-radix index) keeps only Pareto-optimal
 * (device free, uplink jobs done) pairs, which is exact because later completions are monotone
 * in both. Copies of a type are added one at a time, so a type costs one pass over the table.
 * Server and downlink times are ignored here; the caller evaluates the real schedule. `tailMs`
 * is a lag after stage B common to every job that uses it (the message's propagation delay):
 * such a job is done tailMs after its stage B ends, which moves the makespan, not the order.
 */
export function twoStageMix(
  classes: readonly JobClass[],
  stageA: (t: JobType) => number,
  stageB: (t: JobType) => number,
  { maxStates = 300_000, tailMs = 0 }: { readonly maxStates?: number; readonly tailMs?: number } = {},
): { mix: JobType[]; exact: boolean } {
  const types = johnsonSorted(jobTypes(classes), stageA, stageB);
  const span = (s: State): number => Math.max(s.c1, s.done);
  const stride: number[] = [];
  let size = 1;
  for (const c of classes) {
    stride.push(size);
    size *= c.count + 1;
  }
  const countOf = (index: number, cls: number): number => Math.floor(index / (stride[cls] as number)) % ((classes[cls] as JobClass).count + 1);
  const table: State[][] = Array.from({ length: size }, () => []);
  (table[0] as State[]).push({ c1: 0, c2: 0, done: 0, prev: undefined, type: undefined });
  // Past the state budget each bucket keeps its BEAM most promising states: no longer a proof.
  let states = 1;
  let exact = true;
  for (const t of types) {
    if (states > maxStates) {
      exact = false;
      for (let i = 0; i < table.length; i++) table[i] = beam(table[i] as State[], span);
    }
    const a = stageA(t);
    const b = stageB(t);
    const step = stride[t.cls] as number;
    const cap = (classes[t.cls] as JobClass).count;
    for (let index = 0; index < size; index++) {
      if (countOf(index, t.cls) >= cap) continue;
      const target = table[index + step] as State[];
      for (const s of table[index] as State[]) {
        const c1 = s.c1 + a;
        const c2 = b > 0 ? Math.max(s.c2, c1) + b : s.c2;
        if (addPareto(target, { c1, c2, done: c2 > 0 ? c2 + tailMs : 0, prev: s, type: t })) states++;
      }
    }
  }
  let best: State | undefined;
  for (const s of table[size - 1] as State[]) if (!best || span(s) < span(best)) best = s;
  const mix: JobType[] = [];
  for (let s = best; s?.type; s = s.prev) mix.unshift(s.type);
  return { mix, exact };
}

const BEAM = 48;

/** The BEAM states with the lowest makespan so far, still sorted by c1. */
function beam(bucket: State[], span: (s: State) => number): State[] {
  if (bucket.length <= BEAM) return bucket;
  const keep = new Set([...bucket].sort((x, y) => span(x) - span(y)).slice(0, BEAM));
  return bucket.filter((s) => keep.has(s));
}

/** Johnson's rule on types: a ≤ b by ascending a, then the rest by descending b. */
export function johnsonSorted(types: readonly JobType[], a: (t: JobType) => number, b: (t: JobType) => number): JobType[] {
  const first = types.filter((t) => a(t) <= b(t)).sort((x, y) => a(x) - a(y));
  const second = types.filter((t) => a(t) > b(t)).sort((x, y) => b(y) - b(x));
  return [...first, ...second];
}

/**
 * Inserts into a Pareto front on (c1, done) kept sorted by c1 ascending (so done descending);
 * false when an existing state is no worse on both. A state no later on `done` is no later on
 * c2 either (the tail is common), so the pruning stays exact. Binary search finds the place;
 * beaten states follow it.
 */
function addPareto(bucket: State[], s: State): boolean {
  let lo = 0;
  let hi = bucket.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((bucket[mid] as State).c1 <= s.c1 + 1e-12) lo = mid + 1;
    else hi = mid;
  }
  const before = bucket[lo - 1];
  if (before && before.done <= s.done + 1e-12) return false;
  let end = lo;
  while (end < bucket.length && (bucket[end] as State).done >= s.done) end++;
  bucket.splice(lo, end - lo, s);
  return true;
}
