/**
 * The pipeline every job flows through, in order: device compute → uplink → server compute →
 * downlink, each a single resource that serves one job at a time (a permutation flow shop,
 * JPS's model: Duan & Wu, ICPP'21, §3).
 */
export const STAGES = ['device', 'uplink', 'server', 'downlink'] as const;
export type Stage = (typeof STAGES)[number];

/** A job's time on each stage in ms; 0 means the job does not use that resource. */
export type StageTimes = readonly [number, number, number, number];

/**
 * After each stage, how long the job waits before its next stage (or before it is done) while
 * holding no resource: a message's propagation delay, which delays the job but frees the link as
 * soon as its last byte is sent (a flow shop with time lags: Mitten, 1959). A lag after a stage
 * the job skips does not apply.
 */
export type StageLags = StageTimes;

const NO_LAGS: StageLags = [0, 0, 0, 0];

/** The lags of a job whose messages each take `propagationMs` to arrive after the link sent them. */
export function linkLags(t: StageTimes, propagationMs: number): StageLags {
  return [0, t[1] > 0 ? propagationMs : 0, 0, t[3] > 0 ? propagationMs : 0];
}

export interface ScheduledJob {
  readonly job: number;
  /** [start, end] per stage, or null where the job skips the stage. */
  readonly stages: readonly ([number, number] | null)[];
}

/**
 * Where a job is after it joins a pipeline whose resources are free at `free`: `free` is updated
 * in place, and the job's completion (its last stage's end plus that stage's lag) is returned.
 * The one place the flow shop's timing rule lives; every simulator and search goes through it.
 */
export function pass(free: number[], t: StageTimes, lags: StageLags = NO_LAGS, spans?: ([number, number] | null)[]): number {
  let ready = 0;
  for (let m = 0; m < 4; m++) {
    const d = t[m] as number;
    if (d <= 0) {
      spans?.push(null);
      continue;
    }
    const start = Math.max(ready, free[m] as number);
    free[m] = start + d;
    spans?.push([start, start + d]);
    ready = start + d + (lags[m] as number);
  }
  return ready;
}

const lagsOf = (lags: readonly StageLags[] | undefined, job: number): StageLags => lags?.[job] ?? NO_LAGS;

/** Simulates jobs in the given order; every resource keeps that order (permutation schedule). */
export function simulate(order: readonly number[], times: readonly StageTimes[], lags?: readonly StageLags[]): { jobs: ScheduledJob[]; makespan: number } {
  const free = [0, 0, 0, 0];
  let makespan = 0;
  const jobs = order.map((job) => {
    const stages: ([number, number] | null)[] = [];
    makespan = Math.max(makespan, pass(free, times[job] as StageTimes, lagsOf(lags, job), stages));
    return { job, stages };
  });
  return { jobs, makespan };
}

/** Makespan only, without building the schedule (the optimizer's inner loop). */
export function makespanOf(order: readonly number[], times: readonly StageTimes[], lags?: readonly StageLags[]): number {
  const free = [0, 0, 0, 0];
  let makespan = 0;
  for (const job of order) makespan = Math.max(makespan, pass(free, times[job] as StageTimes, lagsOf(lags, job)));
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
 * Campbell–Dudek–Smith's aggregation of four stages into two at stage k, for Johnson's rule:
 * the job's path through stages [0, k) and through [k, 4). A lag between two of the job's stages
 * counts with the half it lies in, and one that separates the halves counts on both sides
 * (Mitten's rule for two machines with time lags: Johnson's rule on a + l and b + l). The lag
 * after the job's last stage holds no machine and is left out, so two stages with a common tail
 * lag order exactly as Johnson's rule orders them.
 */
export function aggregated(t: StageTimes, lags: StageLags, k: number): { a: number; b: number } {
  const used = [0, 1, 2, 3].filter((m) => (t[m] as number) > 0);
  let a = 0;
  let b = 0;
  used.forEach((m, i) => {
    const next = used[i + 1];
    const lag = next === undefined ? 0 : (lags[m] as number);
    if (m < k) a += (t[m] as number) + lag;
    else b += (t[m] as number) + lag;
    if (m < k && next !== undefined && next >= k) b += lag;
  });
  return { a, b };
}

/**
 * A good order for four stages: the best of Johnson orders on aggregated stage pairs
 * (Campbell–Dudek–Smith), improved by NEH insertion (Nawaz–Enscore–Ham, 1983).
 */
export function flowShopOrder(times: readonly StageTimes[], lags?: readonly StageLags[]): number[] {
  const jobs = times.map((_, i) => i);
  if (jobs.length <= 1) return jobs;
  const span = (order: readonly number[]): number => makespanOf(order, times, lags);
  const seeds: number[][] = [];
  for (let k = 1; k < 4; k++) {
    const halves = jobs.map((j) => aggregated(times[j] as StageTimes, lagsOf(lags, j), k));
    seeds.push(johnsonOrder(jobs, (j) => (halves[j] as { a: number }).a, (j) => (halves[j] as { b: number }).b));
  }
  let best = seeds[0] as number[];
  let bestSpan = span(best);
  for (const s of seeds.slice(1)) {
    const sp = span(s);
    if (sp < bestSpan) [best, bestSpan] = [s, sp];
  }
  if (jobs.length <= 60) {
    const neh = nehOrder(times, best, span);
    if (span(neh) < bestSpan) best = neh;
  }
  return best;
}

/** NEH: insert jobs (by decreasing total time, ties in seed order) at their best position. */
function nehOrder(times: readonly StageTimes[], seed: readonly number[], span: (order: readonly number[]) => number): number[] {
  const rank = new Map(seed.map((j, i) => [j, i]));
  const byWork = [...seed].sort((x, y) => sum(times[y] as StageTimes) - sum(times[x] as StageTimes) || (rank.get(x) ?? 0) - (rank.get(y) ?? 0));
  let order: number[] = [];
  for (const job of byWork) {
    let bestOrder: number[] = [];
    let bestSpan = Infinity;
    for (let pos = 0; pos <= order.length; pos++) {
      const trial = [...order.slice(0, pos), job, ...order.slice(pos)];
      const sp = span(trial);
      if (sp < bestSpan - 1e-12) [bestOrder, bestSpan] = [trial, sp];
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
