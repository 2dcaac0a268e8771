/**
 * The pipeline every job flows through, in order: device compute → uplink → server compute →
 * downlink, each a single resource that serves one job at a time (a permutation flow shop,
 * JPS's model: Duan & Wu, ICPP'21, §3).
 */
export const STAGES = ['device', 'uplink', 'server', 'downlink'] as const;
export type Stage = (typeof STAGES)[number];

/** A job's time on each stage in ms; 0 means the job does not use that resource. */
export type StageTimes = readonly [number, number, number, number];

export interface ScheduledJob {
  readonly job: number;
  /** [start, end] per stage, or null where the job skips the stage. */
  readonly stages: readonly ([number, number] | null)[];
}

/** Simulates jobs in the given order; every resource keeps that order (permutation schedule). */
export function simulate(order: readonly number[], times: readonly StageTimes[]): { jobs: ScheduledJob[]; makespan: number } {
  const free = [0, 0, 0, 0];
  let makespan = 0;
  const jobs = order.map((job) => {
    const t = times[job] as StageTimes;
    let ready = 0;
    const stages = t.map((d, m) => {
      if (d <= 0) return null;
      const start = Math.max(ready, free[m] as number);
      const end = start + d;
      free[m] = end;
      ready = end;
      return [start, end] as [number, number];
    });
    makespan = Math.max(makespan, ready);
    return { job, stages };
  });
  return { jobs, makespan };
}

/** Makespan only, without building the schedule (the optimizer's inner loop). */
export function makespanOf(order: readonly number[], times: readonly StageTimes[]): number {
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  let f3 = 0;
  let makespan = 0;
  for (const job of order) {
    const t = times[job] as StageTimes;
    let ready = 0;
    if (t[0] > 0) ready = f0 = Math.max(ready, f0) + t[0];
    if (t[1] > 0) ready = f1 = Math.max(ready, f1) + t[1];
    if (t[2] > 0) ready = f2 = Math.max(ready, f2) + t[2];
    if (t[3] > 0) ready = f3 = Math.max(ready, f3) + t[3];
    if (ready > makespan) makespan = ready;
  }
  return makespan;
}

/**
 * Johnson's rule for two machines (Johnson, 1954): jobs with a ≤ b first by ascending a, then
 * the rest by descending b. Optimal for a two-stage flow shop with fixed times.
 */
export function johnsonOrder(jobs: readonly number[], a: (j: number) => number, b: (j: number) => number): number[] {
  const first = jobs.filter((j) => a(j) <= b(j)).sort((x, y) => a(x) - a(y) || x - y);
  const second = jobs.filter((j) => a(j) > b(j)).sort((x, y) => b(y) - b(x) || x - y);
  return [...first, ...second];
}

/**
 * A good order for four stages: the best of Johnson orders on aggregated stage pairs
 * (Campbell–Dudek–Smith), improved by NEH insertion (Nawaz–Enscore–Ham, 1983).
 */
export function flowShopOrder(times: readonly StageTimes[]): number[] {
  const jobs = times.map((_, i) => i);
  if (jobs.length <= 1) return jobs;
  const seeds: number[][] = [];
  for (let k = 1; k < 4; k++) {
    const a = (j: number): number => sum((times[j] as StageTimes).slice(0, k));
    const b = (j: number): number => sum((times[j] as StageTimes).slice(k));
    seeds.push(johnsonOrder(jobs, a, b));
  }
  let best = seeds[0] as number[];
  let bestSpan = makespanOf(best, times);
  for (const s of seeds.slice(1)) {
    const span = makespanOf(s, times);
    if (span < bestSpan) [best, bestSpan] = [s, span];
  }
  if (jobs.length <= 60) {
    const neh = nehOrder(times, best);
    if (makespanOf(neh, times) < bestSpan) best = neh;
  }
  return best;
}

/** NEH: insert jobs (by decreasing total time, ties in seed order) at their best position. */
function nehOrder(times: readonly StageTimes[], seed: readonly number[]): number[] {
  const rank = new Map(seed.map((j, i) => [j, i]));
  const byWork = [...seed].sort((x, y) => sum(times[y] as StageTimes) - sum(times[x] as StageTimes) || (rank.get(x) ?? 0) - (rank.get(y) ?? 0));
  let order: number[] = [];
  for (const job of byWork) {
    let bestOrder: number[] = [];
    let bestSpan = Infinity;
    for (let pos = 0; pos <= order.length; pos++) {
      const trial = [...order.slice(0, pos), job, ...order.slice(pos)];
      const span = makespanOf(trial, times);
      if (span < bestSpan - 1e-12) [bestOrder, bestSpan] = [trial, span];
    }
    order = bestOrder;
  }
  return order;
}

export function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
